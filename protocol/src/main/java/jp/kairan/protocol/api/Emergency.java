package jp.kairan.protocol.api;

import java.time.Instant;

/**
 * A room's emergency mode (POLICY.md): while {@code active}, the room's ceiling is lifted to class I.
 *
 * @param state           {@code pending} (waiting for a second approver) or {@code active}
 * @param reason          why, 1..500 characters
 * @param hours           the time limit in hours, counted from approval
 * @param requestedBy     the org owner who asked
 * @param requestedByName their display name
 * @param requestedAt     when
 * @param approvedBy      who approved (the requester when the org allows a single approver), or null while pending
 * @param approvedByName  their display name, or null
 * @param approvedAt      when, or null
 * @param endsAt          when it ends by itself, or null while pending
 */
public record Emergency(String state, String reason, int hours, String requestedBy, String requestedByName,
                        Instant requestedAt, String approvedBy, String approvedByName, Instant approvedAt, Instant endsAt) {
}
