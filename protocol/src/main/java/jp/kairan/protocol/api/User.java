package jp.kairan.protocol.api;

import java.time.Instant;
import java.util.List;

/** A user of an organization as owners and admins see it ({@code email} null for other viewers). */
public record User(String id, String orgId, String loginId, String displayName, String departmentId, String email,
                   String status, List<String> roles, boolean locked, boolean totpEnrolled, Instant createdAt,
                   Instant lastLoginAt) {
}
