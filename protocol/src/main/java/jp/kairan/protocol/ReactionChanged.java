package jp.kairan.protocol;

/**
 * {@code reaction.changed}: a member added or removed a reaction.
 *
 * @param roomId    room
 * @param messageId message
 * @param seq       its seq
 * @param emoji     emoji
 * @param userId    who
 * @param added     true when added, false when removed
 */
public record ReactionChanged(String roomId, String messageId, long seq, String emoji, String userId, boolean added)
        implements ServerMessage {
    public static final String TYPE = "reaction.changed";

    @Override
    public String type() {
        return TYPE;
    }
}
