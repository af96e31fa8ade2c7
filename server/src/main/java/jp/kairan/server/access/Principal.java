package jp.kairan.server.access;

import java.util.Set;
import jp.kairan.server.error.KairanException;

/**
 * An authenticated user, as loaded for one request: identity, organization and current roles, and the
 * permission predicates every feature asks of it.
 *
 * <p>The {@code require…Of} methods share one rule: someone outside the organization learns nothing about it
 * ({@code not_found}), someone inside without the role is refused ({@code forbidden}). Room-level checks
 * (member, room manager) live with rooms; these are the organization-level ones.
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

    /** Whether this user is an auditor of {@code orgId}. */
    public boolean auditorOf(long orgId) {
        return inOrg(orgId) && roles.contains(Role.AUDITOR);
    }

    /** Throws {@code not_found} unless this user belongs to {@code orgId}. */
    public void requireInOrg(long orgId) {
        if (!inOrg(orgId)) {
            throw KairanException.notFound("organization");
        }
    }

    /** Throws unless this user is an owner of {@code orgId}. */
    public void requireOwnerOf(long orgId) {
        requireInOrg(orgId);
        if (!ownerOf(orgId)) {
            throw KairanException.forbidden("owner role required");
        }
    }

    /** Throws unless this user administers {@code orgId} (owner or admin). */
    public void requireAdminOf(long orgId) {
        requireInOrg(orgId);
        if (!adminOf(orgId)) {
            throw KairanException.forbidden("owner or admin role required");
        }
    }

    /** Throws unless this user is an auditor of {@code orgId}; owners and admins are not auditors by rank. */
    public void requireAuditorOf(long orgId) {
        requireInOrg(orgId);
        if (!auditorOf(orgId)) {
            throw KairanException.forbidden("auditor role required");
        }
    }

    /**
     * Whether this user may act on a user of {@code orgId} who holds {@code targetRoles}: reset their password or
     * authenticator, unlock, suspend or reactivate them, change their profile or e-mail, decide on their devices.
     * Someone holding a role that only owners grant ({@link Role#ownerGranted()}: owner, admin, auditor) is managed
     * only by an owner of the organization, so that an admin cannot take over an account that outranks them. Whether
     * the actor may manage users at all (admin, department head) is asked separately.
     */
    public boolean mayManage(Set<Role> targetRoles, long orgId) {
        return inOrg(orgId) && (ownerOf(orgId) || targetRoles.stream().noneMatch(Role::ownerGranted));
    }

    /**
     * Throws {@code not_found} outside {@code orgId}, {@code forbidden} unless {@link #mayManage} — the one rule
     * for every path on which one user acts on another's account or devices.
     */
    public void requireMayManage(Set<Role> targetRoles, long orgId) {
        requireInOrg(orgId);
        if (!mayManage(targetRoles, orgId)) {
            throw KairanException.forbidden("only an owner manages a user who holds the owner, admin or auditor role");
        }
    }

    /** Throws unless this user administers or audits {@code orgId} (owner, admin or auditor). */
    public void requireAdminOrAuditorOf(long orgId) {
        requireInOrg(orgId);
        if (!adminOf(orgId) && !auditorOf(orgId)) {
            throw KairanException.forbidden("owner, admin or auditor role required");
        }
    }
}
