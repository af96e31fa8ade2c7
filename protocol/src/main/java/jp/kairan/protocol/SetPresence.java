package jp.kairan.protocol;

/**
 * {@code presence.set}: this connection is {@code online} (in use) or {@code away} (idle, tab hidden). A user
 * is online when any of their connections is online, away when all are away, offline without connections.
 * Answered with {@link Ok}; the organization's connected users receive {@link PresenceChanged} on a change.
 *
 * @param id     request id
 * @param status {@code online} or {@code away}
 */
public record SetPresence(String id, String status) implements ClientMessage {
    public static final String TYPE = "presence.set";
    public static final String ONLINE = "online";
    public static final String AWAY = "away";
    public static final String OFFLINE = "offline";

    public SetPresence {
        FrameRules.requestId(id);
        if (!ONLINE.equals(status) && !AWAY.equals(status)) {
            throw new IllegalArgumentException("status must be online or away");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
