package jp.kairan.protocol;

/**
 * {@code reaction.remove}: takes one's reaction back. Answered with {@link Ok}; members receive
 * {@link ReactionChanged} when there was one.
 *
 * @param id        request id
 * @param roomId    the message's room
 * @param messageId the message
 * @param emoji     the emoji
 */
public record RemoveReaction(String id, String roomId, String messageId, String emoji) implements ClientMessage {
    public static final String TYPE = "reaction.remove";

    public RemoveReaction {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        FrameRules.entityId(messageId, "messageId");
        AddReaction.checkEmoji(emoji);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
