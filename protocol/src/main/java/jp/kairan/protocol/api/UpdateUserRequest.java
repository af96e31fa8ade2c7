package jp.kairan.protocol.api;

import java.util.List;

/**
 * {@code PATCH /api/v1/orgs/{orgId}/users/{userId}}; null fields are left as they are. An empty string clears
 * {@code departmentId} or {@code email}.
 */
public record UpdateUserRequest(String displayName, String departmentId, String email, String status,
                                List<String> roles) {
}
