package jp.kairan.protocol;

import java.time.Instant;

/**
 * {@code receipt.updated}: a member has read a room up to {@code seq}. A message's 既読 count is the number of
 * members other than its sender whose read seq is at least the message's seq.
 *
 * @param roomId room
 * @param userId reader
 * @param seq    their read seq now
 * @param readAt when
 */
public record ReceiptUpdated(String roomId, String userId, long seq, Instant readAt) implements ServerMessage {
    public static final String TYPE = "receipt.updated";

    @Override
    public String type() {
        return TYPE;
    }
}
