package jp.kairan.protocol;

import java.util.List;

/**
 * {@code message.send}: posts a text message to a room. Answered with {@link MessageAck} once the message is
 * durably stored; then every member's connections receive {@link MessagePosted}. The request {@code id} is the
 * idempotency key: a retry with the same id, room and text returns the original ack with
 * {@code duplicate: true} and stores nothing.
 *
 * @param id         request id and idempotency key, unique per user
 * @param roomId     target room
 * @param text       1..{@value #MAX_TEXT_CHARS} characters
 * @param replyTo    id of the message this one quotes, or null
 * @param mentions   user ids mentioned (each must be a member), or null
 * @param mentionAll whether this mentions everybody in the room ({@code @all}), or null for false
 * @param confirmed  whether the sender confirmed a {@code confirmation_required} warning, or null for false
 */
public record SendMessage(String id, String roomId, String text, String replyTo, List<String> mentions,
                          Boolean mentionAll, Boolean confirmed) implements ClientMessage {
    public static final String TYPE = "message.send";
    public static final int MAX_TEXT_CHARS = 10_000;
    public static final int MAX_MENTIONS = 100;

    public SendMessage {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        FrameRules.text(text, "text", MAX_TEXT_CHARS);
        if (replyTo != null) {
            FrameRules.entityId(replyTo, "replyTo");
        }
        if (mentions != null) {
            if (mentions.size() > MAX_MENTIONS) {
                throw new IllegalArgumentException("mentions must have at most " + MAX_MENTIONS + " entries");
            }
            mentions.forEach(m -> FrameRules.entityId(m, "mentions"));
            mentions = List.copyOf(mentions);
        }
    }

    /** A send without a confirmation. */
    public SendMessage(String id, String roomId, String text, String replyTo, List<String> mentions, Boolean mentionAll) {
        this(id, roomId, text, replyTo, mentions, mentionAll, null);
    }

    /** A send without reply or mentions. */
    public static SendMessage plain(String id, String roomId, String text) {
        return new SendMessage(id, roomId, text, null, null, null, null);
    }

    /** The same send, confirmed. */
    public SendMessage confirm() {
        return new SendMessage(id, roomId, text, replyTo, mentions, mentionAll, true);
    }

    /** Whether the sender confirmed a warning. */
    public boolean confirmedWarning() {
        return Boolean.TRUE.equals(confirmed);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
