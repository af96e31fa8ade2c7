package jp.kairan.protocol;

/**
 * {@code message.edit}: replaces the text of one's own message. Answered with {@link Ok}; members receive
 * {@link MessageEdited}. The earlier text is kept for audit and never shown.
 *
 * @param id        request id
 * @param roomId    the message's room
 * @param messageId the message
 * @param text      new text, 1..{@value SendMessage#MAX_TEXT_CHARS} characters
 * @param confirmed whether the sender confirmed a {@code confirmation_required} warning, or null for false
 */
public record EditMessage(String id, String roomId, String messageId, String text, Boolean confirmed)
        implements ClientMessage {
    public static final String TYPE = "message.edit";

    public EditMessage {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        FrameRules.entityId(messageId, "messageId");
        FrameRules.text(text, "text", SendMessage.MAX_TEXT_CHARS);
    }

    /** An edit without a confirmation. */
    public EditMessage(String id, String roomId, String messageId, String text) {
        this(id, roomId, messageId, text, null);
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
