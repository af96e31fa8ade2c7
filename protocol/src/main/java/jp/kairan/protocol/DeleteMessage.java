package jp.kairan.protocol;

/**
 * {@code message.delete}: deletes one's own message. Answered with {@link Ok}; members receive
 * {@link MessageDeleted}. The text disappears for members; it is kept for audit.
 *
 * @param id        request id
 * @param roomId    the message's room
 * @param messageId the message
 */
public record DeleteMessage(String id, String roomId, String messageId) implements ClientMessage {
    public static final String TYPE = "message.delete";

    public DeleteMessage {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        FrameRules.entityId(messageId, "messageId");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
