package jp.kairan.protocol;

/**
 * {@code presence.changed}: a user of the organization became {@code online}, {@code away} or {@code offline}.
 *
 * @param userId user
 * @param status new status
 */
public record PresenceChanged(String userId, String status) implements ServerMessage {
    public static final String TYPE = "presence.changed";

    @Override
    public String type() {
        return TYPE;
    }
}
