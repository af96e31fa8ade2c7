package jp.kairan.protocol.api;

/**
 * A user of the organization who is not offline.
 *
 * @param userId user
 * @param status {@code online} or {@code away}
 */
public record PresenceEntry(String userId, String status) {
}
