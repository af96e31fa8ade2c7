package jp.kairan.protocol;

import java.time.Instant;

/**
 * {@code message.deleted}: a message was deleted by its author; clients drop its text and show it as deleted.
 *
 * @param roomId    room
 * @param messageId message
 * @param seq       its seq
 * @param deletedAt when
 */
public record MessageDeleted(String roomId, String messageId, long seq, Instant deletedAt) implements ServerMessage {
    public static final String TYPE = "message.deleted";

    @Override
    public String type() {
        return TYPE;
    }
}
