package jp.kairan.protocol;

/**
 * {@code message.posted}: a new message in a room, to every connection of every member (the sender's own
 * connections included). Apply in seq order; a seq more than one past the last one seen means messages were
 * missed: fetch them with {@link SyncMessages}.
 *
 * @param roomId  room
 * @param message the message
 */
public record MessagePosted(String roomId, MessageView message) implements ServerMessage {
    public static final String TYPE = "message.posted";

    @Override
    public String type() {
        return TYPE;
    }
}
