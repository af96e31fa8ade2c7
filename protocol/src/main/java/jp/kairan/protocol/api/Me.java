package jp.kairan.protocol.api;

import java.util.List;

/** The signed-in user ({@code orgId}/{@code orgName} null for the operator). */
public record Me(String id, String loginId, String displayName, String orgId, String orgName, String departmentId,
                 String email, List<String> roles, boolean totpEnrolled) {
}
