package jp.kairan.protocol;

import jp.kairan.protocol.api.RoomPolicy;

/**
 * {@code room.policy}: a room's ceiling or emergency mode changed (POLICY.md).
 *
 * @param roomId the room
 * @param policy its policy now
 */
public record RoomPolicyChanged(String roomId, RoomPolicy policy) implements ServerMessage {
    public static final String TYPE = "room.policy";

    @Override
    public String type() {
        return TYPE;
    }
}
