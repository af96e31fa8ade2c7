package jp.kairan.protocol;

/**
 * {@code member.joined}: a user became a member of a room (also sent to that user: a room id the client does
 * not know yet is a new room; read it over HTTP).
 *
 * @param roomId      room
 * @param userId      new member
 * @param displayName their display name
 * @param role        {@code owner}, {@code admin} or {@code member} of the room
 * @param by          who added them
 */
public record MemberJoined(String roomId, String userId, String displayName, String role, String by)
        implements ServerMessage {
    public static final String TYPE = "member.joined";

    @Override
    public String type() {
        return TYPE;
    }
}
