package jp.kairan.server.org;

import jp.kairan.server.access.Role;
import jp.kairan.server.access.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * Who a user is: identity, organization, department, contact and roles. Sign-in secrets live in the auth
 * feature.
 *
 * @param id           user id
 * @param orgId        organization, null for the operator
 * @param loginId      login ID, lower case
 * @param displayName  name shown to others
 * @param departmentId department, may be null
 * @param email        pre-registered address for mailed codes, may be null
 * @param status       active or suspended
 * @param roles        roles
 * @param createdAt    when created
 */
public record UserProfile(long id, Long orgId, String loginId, String displayName, Long departmentId, String email,
                          UserStatus status, Set<Role> roles, Instant createdAt) {

    public UserProfile {
        roles = Set.copyOf(roles);
    }

    /** This profile as the principal of a request. */
    public Principal principal() {
        return new Principal(id, loginId, orgId, departmentId, roles);
    }
}
