package jp.kairan.server.org;

import java.util.Set;

/**
 * An authenticated user, as loaded for one request: identity, organization and current roles.
 *
 * @param userId       user id
 * @param loginId      login ID
 * @param orgId        organization, null for the operator
 * @param departmentId department, may be null
 * @param roles        current roles
 */
public record Principal(long userId, String loginId, Long orgId, Long departmentId, Set<Role> roles) {

    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean isOperator() {
        return roles.contains(Role.OPERATOR);
    }

    /** Whether this user belongs to {@code orgId}. */
    public boolean inOrg(long orgId) {
        return this.orgId != null && this.orgId == orgId;
    }

    /** Whether this user is an owner of {@code orgId}. */
    public boolean ownerOf(long orgId) {
        return inOrg(orgId) && roles.contains(Role.OWNER);
    }

    /** Whether this user may administer {@code orgId} (owner or admin). */
    public boolean adminOf(long orgId) {
        return inOrg(orgId) && (roles.contains(Role.OWNER) || roles.contains(Role.ADMIN));
    }
}
