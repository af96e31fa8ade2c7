package jp.kairan.protocol.api;

import java.time.Instant;

/**
 * A legal hold: while it lasts, nothing it covers is purged.
 *
 * @param id            hold id
 * @param scope         {@code org}, {@code room} or {@code user} (a user's talks: every room they are a member of)
 * @param targetId      the room or user, null for the whole organization
 * @param reason        why
 * @param createdBy     who placed it
 * @param createdAt     when
 * @param releasedAt    when released, or null while active
 * @param releasedBy    who released it, or null
 * @param releaseReason why it was released, or null
 */
public record LegalHold(String id, String scope, String targetId, String reason, String createdBy, Instant createdAt,
                        Instant releasedAt, String releasedBy, String releaseReason) {
}
