package jp.kairan.protocol;

import java.util.List;

/**
 * {@code presence.state}: the reply to {@link SubscribePresence}: the current presence of each followed user.
 *
 * @param re       the request id
 * @param statuses one entry per followed user of the organization
 */
public record PresenceState(String re, List<Entry> statuses) implements ServerMessage {
    public static final String TYPE = "presence.state";

    public PresenceState {
        statuses = List.copyOf(statuses);
    }

    /**
     * One user's presence.
     *
     * @param userId user
     * @param status {@code online}, {@code away} or {@code offline}
     */
    public record Entry(String userId, String status) {
    }

    @Override
    public String type() {
        return TYPE;
    }
}
