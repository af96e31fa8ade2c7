package jp.kairan.protocol;

/**
 * {@code typing.started}: a member is typing; show it for about 5 seconds unless repeated.
 *
 * @param roomId room
 * @param userId who
 */
public record TypingStarted(String roomId, String userId) implements ServerMessage {
    public static final String TYPE = "typing.started";

    @Override
    public String type() {
        return TYPE;
    }
}
