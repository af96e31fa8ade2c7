package jp.kairan.protocol;

import java.util.List;

/**
 * {@code error}: a request was refused, or a frame could not be read. The connection stays open unless a
 * close frame follows (see the close codes in {@code PROTOCOL.md}).
 *
 * @param re        the request id, or null when the frame had none that could be read
 * @param code      stable error code
 * @param message   English message
 * @param messageJa Japanese message
 * @param retryable whether the same request may succeed later
 * @param detail    what exactly was wrong (a field, a limit), or null; never a stack trace
 * @param findings  for {@code content_blocked} and {@code confirmation_required}, what was found (masked), else null
 */
public record ErrorReply(String re, ErrorCode code, String message, String messageJa, boolean retryable,
                         String detail, List<PolicyFinding> findings) implements ServerMessage {
    public static final String TYPE = "error";

    public static ErrorReply of(String re, ErrorCode code, String detail) {
        return new ErrorReply(re, code, code.message(), code.messageJa(), code.retryable(), detail, null);
    }

    /** An error about a message's content, with its findings. */
    public static ErrorReply of(String re, ErrorCode code, String detail, List<PolicyFinding> findings) {
        return new ErrorReply(re, code, code.message(), code.messageJa(), code.retryable(), detail, findings);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
