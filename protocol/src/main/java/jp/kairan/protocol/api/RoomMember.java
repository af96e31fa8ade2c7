package jp.kairan.protocol.api;

import java.time.Instant;

/**
 * A member of a room.
 *
 * @param userId      user
 * @param displayName display name
 * @param role        {@code owner}, {@code admin} or {@code member}
 * @param readSeq     last seq read (0 when nothing)
 * @param readAt      when the read seq last moved, or null
 * @param joinedAt    when they joined
 */
public record RoomMember(String userId, String displayName, String role, long readSeq, Instant readAt,
                         Instant joinedAt) {
}
