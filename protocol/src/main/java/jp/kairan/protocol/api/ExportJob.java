package jp.kairan.protocol.api;

import java.time.Instant;

/**
 * An export and its state.
 *
 * @param id           export id
 * @param scope        {@code room}, {@code user} or {@code org}
 * @param targetId     the room or user, or null
 * @param from         first instant included
 * @param to           instant after the last one included
 * @param state        {@code queued}, {@code running}, {@code done}, {@code failed} or {@code expired}
 * @param messageCount messages written so far (all of them once done)
 * @param sizeBytes    the archive's size once done
 * @param sha256       the archive's SHA-256 (hex) once done
 * @param requestedBy  the auditor
 * @param createdAt    when requested
 * @param finishedAt   when done or failed
 * @param expiresAt    when the archive is deleted
 * @param error        why it failed, or null
 */
public record ExportJob(String id, String scope, String targetId, Instant from, Instant to, String state, long messageCount,
                        long sizeBytes, String sha256, String requestedBy, Instant createdAt, Instant finishedAt,
                        Instant expiresAt, String error) {
}
