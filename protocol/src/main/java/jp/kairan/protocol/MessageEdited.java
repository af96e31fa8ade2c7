package jp.kairan.protocol;

import java.time.Instant;

/**
 * {@code message.edited}: a message's text changed.
 *
 * @param roomId    room
 * @param messageId message
 * @param seq       its seq
 * @param text      the new text
 * @param editedAt  when
 */
public record MessageEdited(String roomId, String messageId, long seq, String text, Instant editedAt)
        implements ServerMessage {
    public static final String TYPE = "message.edited";

    @Override
    public String type() {
        return TYPE;
    }
}
