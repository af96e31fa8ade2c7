package jp.kairan.protocol;

/**
 * {@code member.left}: a user left or was removed from a room (also sent to that user, whose client then drops
 * the room; no further events of it arrive).
 *
 * @param roomId  room
 * @param userId  former member
 * @param by      who removed them (equal to {@code userId} when they left)
 */
public record MemberLeft(String roomId, String userId, String by) implements ServerMessage {
    public static final String TYPE = "member.left";

    @Override
    public String type() {
        return TYPE;
    }
}
