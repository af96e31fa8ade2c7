package jp.kairan.protocol;

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
 */
public record ErrorReply(String re, ErrorCode code, String message, String messageJa, boolean retryable,
                         String detail) implements ServerMessage {
    public static final String TYPE = "error";

    public static ErrorReply of(String re, ErrorCode code, String detail) {
        return new ErrorReply(re, code, code.message(), code.messageJa(), code.retryable(), detail);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
