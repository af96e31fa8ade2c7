package jp.kairan.protocol;

/**
 * {@code reaction.add}: reacts to a message with an emoji. Answered with {@link Ok}; members receive
 * {@link ReactionChanged}. Adding a reaction one already has changes nothing.
 *
 * @param id        request id
 * @param roomId    the message's room
 * @param messageId the message
 * @param emoji     one emoji (1..{@value #MAX_EMOJI_CHARS} UTF-16 characters, no spaces)
 */
public record AddReaction(String id, String roomId, String messageId, String emoji) implements ClientMessage {
    public static final String TYPE = "reaction.add";
    public static final int MAX_EMOJI_CHARS = 32;

    public AddReaction {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        FrameRules.entityId(messageId, "messageId");
        checkEmoji(emoji);
    }

    static void checkEmoji(String emoji) {
        FrameRules.text(emoji, "emoji", MAX_EMOJI_CHARS);
        if (emoji.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("emoji must not contain spaces or control characters");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
