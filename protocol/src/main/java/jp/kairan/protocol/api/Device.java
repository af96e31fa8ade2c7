package jp.kairan.protocol.api;

import java.time.Instant;

/**
 * A registered device (a browser's key pair) as its user and its approvers see it. See {@code DEVICES.md}.
 *
 * @param id              device id
 * @param userId          whose device
 * @param userName        the user's display name
 * @param loginId         the user's login ID
 * @param departmentId    the user's department, or null
 * @param name            the name the user gave it, e.g. 庁舎PC 3F-12
 * @param status          {@code pending}, {@code approved}, {@code rejected} or {@code revoked}
 * @param createdAt       when it was registered
 * @param userAgent       the browser's user agent at registration
 * @param firstIp         the address it registered from
 * @param lastIp          the address it was last seen from
 * @param lastSeenAt      when it was last used, or null
 * @param decidedAt       when it was approved or rejected, or null
 * @param decidedByName   who approved or rejected it, or null (also null for automatic approvals)
 * @param decisionReason  why it was rejected, as the approver wrote it, or null
 * @param revokedAt       when it was revoked, or null
 * @param revokedByName   who revoked it, or null
 * @param revokeReason    why, as the revoker wrote it, or null
 * @param wipe            {@code none} (not revoked), {@code pending} (revoked, no confirmation yet) or {@code confirmed}
 * @param wipeConfirmedAt when the device confirmed its wipe, or null
 * @param current         whether this is the device making the request
 */
public record Device(String id, String userId, String userName, String loginId, String departmentId, String name,
                     String status, Instant createdAt, String userAgent, String firstIp, String lastIp, Instant lastSeenAt,
                     Instant decidedAt, String decidedByName, String decisionReason, Instant revokedAt, String revokedByName,
                     String revokeReason, String wipe, Instant wipeConfirmedAt, boolean current) {
}
