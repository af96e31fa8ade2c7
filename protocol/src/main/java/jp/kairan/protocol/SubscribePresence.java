package jp.kairan.protocol;

import java.util.List;

/**
 * {@code presence.subscribe}: the users whose presence this connection wants to follow (typically the people
 * of its direct talks and the members of the open room), replacing the previous set. Answered with
 * {@link PresenceState}, their current presence; then {@link PresenceChanged} arrives for them only. An
 * organization of thousands does not flood every connection with everyone's comings and goings.
 *
 * @param id      request id
 * @param userIds users to follow, at most {@value #MAX_USERS}; users of other organizations are ignored
 */
public record SubscribePresence(String id, List<String> userIds) implements ClientMessage {
    public static final String TYPE = "presence.subscribe";
    public static final int MAX_USERS = 1000;

    public SubscribePresence {
        FrameRules.requestId(id);
        if (userIds == null || userIds.size() > MAX_USERS) {
            throw new IllegalArgumentException("userIds must have at most " + MAX_USERS + " entries");
        }
        userIds.forEach(u -> FrameRules.entityId(u, "userIds"));
        userIds = List.copyOf(userIds);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
