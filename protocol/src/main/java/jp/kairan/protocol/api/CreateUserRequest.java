package jp.kairan.protocol.api;

import java.util.List;

/** {@code POST /api/v1/orgs/{orgId}/users}. */
public record CreateUserRequest(String loginId, String displayName, String departmentId, String email,
                                List<String> roles) {
}
