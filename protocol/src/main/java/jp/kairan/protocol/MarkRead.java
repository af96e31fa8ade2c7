package jp.kairan.protocol;

/**
 * {@code receipt.read}: the client has shown the room up to {@code seq}. Read markers only move forward; an
 * older seq is accepted and changes nothing. Answered with {@link Ok}; when the marker moved, members receive
 * {@link ReceiptUpdated}.
 *
 * @param id     request id
 * @param roomId the room
 * @param seq    last seq read; beyond the room's last seq is {@code invalid_seq}
 */
public record MarkRead(String id, String roomId, long seq) implements ClientMessage {
    public static final String TYPE = "receipt.read";

    public MarkRead {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
