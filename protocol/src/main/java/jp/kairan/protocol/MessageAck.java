package jp.kairan.protocol;

import java.time.Instant;

/**
 * {@code message.ack}: the reply to {@link SendMessage}, sent only after the message's transaction committed.
 *
 * @param re        the request id (the idempotency key)
 * @param roomId    room
 * @param messageId the stored message
 * @param seq       its seq in the room
 * @param sentAt    when stored
 * @param duplicate true when this id had been sent before and nothing new was stored
 */
public record MessageAck(String re, String roomId, String messageId, long seq, Instant sentAt, boolean duplicate)
        implements ServerMessage {
    public static final String TYPE = "message.ack";

    @Override
    public String type() {
        return TYPE;
    }
}
