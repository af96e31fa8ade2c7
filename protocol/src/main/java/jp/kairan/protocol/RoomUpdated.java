package jp.kairan.protocol;

/**
 * {@code room.updated}: a room was renamed, archived or restored.
 *
 * @param roomId   room
 * @param name     its name now
 * @param archived whether archived (read-only)
 * @param by       who changed it
 */
public record RoomUpdated(String roomId, String name, boolean archived, String by) implements ServerMessage {
    public static final String TYPE = "room.updated";

    @Override
    public String type() {
        return TYPE;
    }
}
