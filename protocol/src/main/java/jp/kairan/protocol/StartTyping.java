package jp.kairan.protocol;

/**
 * {@code typing.start}: the user is typing in a room. Not answered unless refused; the room's other members
 * online receive {@link TypingStarted}. Clients send it at most every few seconds while typing and show the
 * indicator for about 5 seconds after the last one.
 *
 * @param id     request id
 * @param roomId the room
 */
public record StartTyping(String id, String roomId) implements ClientMessage {
    public static final String TYPE = "typing.start";

    public StartTyping {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
