package jp.kairan.server.org;

import jp.kairan.server.access.Role;
import jp.kairan.server.access.Principal;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.kairan.protocol.api.CreateUserRequest;
import jp.kairan.protocol.api.UpdateUserRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/**
 * User profiles and roles. Writes need an owner or admin of the user's organization; owner-granted roles
 * ({@link Role#ownerGranted()}) need an owner, and so does every change to a user who holds one
 * ({@link Principal#requireMayManage}); the last active owner can be neither demoted nor suspended.
 * Users of other organizations are reported as not found. Every method joins the caller's transaction, so that
 * auth can keep a user and its credentials in one. Thread-safe.
 */
public final class Users {
    /** Login ID of the server-wide operator account created on first start. */
    public static final String OPERATOR_LOGIN_ID = "operator";

    /** The most users {@link #list} answers. */
    private static final int MAX_LIST = 5000;

    private final Clock clock;
    private final AuditService audit;
    private final UserRepository repository = new UserRepository();
    private final DepartmentRepository departments = new DepartmentRepository();

    Users(Clock clock, AuditService audit) {
        this.clock = clock;
        this.audit = audit;
    }

    /** Creates a user in {@code orgId} (owner or admin). Credentials are the caller's business. */
    public UserProfile create(Tx tx, Principal actor, long orgId, CreateUserRequest req, Origin origin) {
        actor.requireAdminOf(orgId);
        Set<Role> roles = parseRoles(req.roles());
        checkGrant(actor, orgId, EnumSet.noneOf(Role.class), roles);
        return insert(tx, actor, orgId, req.loginId(), req.displayName(), req.email(),
                departmentOf(tx, orgId, req.departmentId()), roles, origin);
    }

    /** Creates the operator account, once, on first start. */
    public UserProfile createOperator(Tx tx) {
        UserEntity e = new UserEntity();
        e.id = Ids.next();
        e.loginId = OPERATOR_LOGIN_ID;
        e.displayName = "運用者 (operator)";
        e.status = UserStatus.ACTIVE.name();
        e.createdAt = clock.instant();
        e.roles.add(Role.OPERATOR);
        repository.insert(tx, e);
        audit.record(tx, new AuditEvent(null, null, null, AuditAction.OPERATOR_CREATED, "user", Long.toString(e.id),
                Map.of()), Origin.COMMAND_LINE);
        return e.toProfile();
    }

    UserProfile insert(Tx tx, Principal actor, long orgId, String rawLoginId, String rawName, String rawEmail,
                       Long departmentId, Set<Role> roles, Origin origin) {
        String loginId = Fields.loginId(rawLoginId);
        if (findByLogin(tx, loginId).isPresent()) {
            throw KairanException.conflict("login ID is taken");
        }
        UserEntity e = new UserEntity();
        e.id = Ids.next();
        e.orgId = orgId;
        e.loginId = loginId;
        e.displayName = Fields.name("displayName", rawName);
        e.email = Fields.email(rawEmail);
        e.departmentId = departmentId;
        e.status = UserStatus.ACTIVE.name();
        e.createdAt = clock.instant();
        e.roles.addAll(roles);
        e.roles.add(Role.MEMBER);
        repository.insert(tx, e);
        audit.record(tx, new AuditEvent(orgId, OrgService.actorId(actor), actor.loginId(), AuditAction.USER_CREATED,
                "user", Long.toString(e.id), Map.of("loginId", loginId, "roles", wire(e.roles))), origin);
        return e.toProfile();
    }

    /** Looks a user up by login ID (normalized); no authorization: for sign-in. */
    public Optional<UserProfile> findByLogin(Tx tx, String loginId) {
        return repository.findByLogin(tx, Fields.normalizeLoginId(loginId)).map(UserEntity::toProfile);
    }

    /** Looks a user up by id; no authorization: for token verification. */
    public Optional<UserProfile> findById(Tx tx, long userId) {
        return repository.find(tx, userId).map(UserEntity::toProfile);
    }

    /** Users of an organization (any user of it), optionally filtered by a name/ID substring and department. */
    public List<UserProfile> list(Tx tx, Principal actor, long orgId, String query, Long departmentId) {
        if (!actor.inOrg(orgId)) {
            throw KairanException.notFound("organization");
        }
        return repository.list(tx, orgId, query, departmentId, MAX_LIST).stream().map(UserEntity::toProfile).toList();
    }

    /** One user of the organization (any user of it). */
    public UserProfile get(Tx tx, Principal actor, long orgId, long userId) {
        if (!actor.inOrg(orgId)) {
            throw KairanException.notFound("user");
        }
        return entity(tx, orgId, userId).toProfile();
    }

    /**
     * A user whom {@code actor} may manage (reset, unlock; see {@link Principal#requireMayManage}): the actor an
     * owner or admin of {@code orgId}, and an owner when the user holds an owner-granted role.
     */
    public UserProfile manageable(Tx tx, Principal actor, long orgId, long userId) {
        actor.requireAdminOf(orgId);
        UserEntity e = entity(tx, orgId, userId);
        actor.requireMayManage(e.roles, orgId);
        return e.toProfile();
    }

    /** Changes profile, department, status or roles (owner or admin; see the class rules). */
    public UserProfile update(Tx tx, Principal actor, long orgId, long userId, UpdateUserRequest req, Origin origin) {
        actor.requireAdminOf(orgId);
        UserEntity e = entity(tx, orgId, userId);
        actor.requireMayManage(e.roles, orgId);
        Map<String, Object> changed = new HashMap<>();
        if (req.displayName() != null) {
            e.displayName = Fields.name("displayName", req.displayName());
            changed.put("displayName", e.displayName);
        }
        if (req.email() != null) {
            e.email = Fields.email(req.email());
            changed.put("email", e.email == null ? "" : "changed");
        }
        if (req.departmentId() != null) {
            e.departmentId = departmentOf(tx, orgId, req.departmentId());
            changed.put("departmentId", String.valueOf(e.departmentId));
        }
        if (!changed.isEmpty()) {
            audit.record(tx, new AuditEvent(orgId, OrgService.actorId(actor), actor.loginId(), AuditAction.USER_UPDATED,
                    "user", Long.toString(userId), changed), origin);
        }
        if (req.roles() != null) {
            Set<Role> roles = parseRoles(req.roles());
            roles.add(Role.MEMBER);
            Set<Role> before = EnumSet.noneOf(Role.class);
            before.addAll(e.roles);
            if (!roles.equals(before)) {
                checkGrant(actor, orgId, before, roles);
                if (before.contains(Role.OWNER) && !roles.contains(Role.OWNER)) {
                    requireAnotherOwner(tx, orgId, userId);
                }
                e.roles.clear();
                e.roles.addAll(roles);
                audit.record(tx, new AuditEvent(orgId, OrgService.actorId(actor), actor.loginId(), AuditAction.ROLES_CHANGED,
                        "user", Long.toString(userId), Map.of("before", wire(before), "after", wire(roles))), origin);
            }
        }
        if (req.status() != null) {
            UserStatus status = UserStatus.parse(req.status())
                    .orElseThrow(() -> KairanException.invalidField("status", "active or suspended"));
            if (!status.name().equals(e.status)) {
                if (status == UserStatus.SUSPENDED && e.roles.contains(Role.OWNER)) {
                    requireAnotherOwner(tx, orgId, userId);
                }
                e.status = status.name();
                audit.record(tx, new AuditEvent(orgId, OrgService.actorId(actor), actor.loginId(),
                        AuditAction.USER_STATUS_CHANGED, "user", Long.toString(userId), Map.of("status", status.wireName())), origin);
            }
        }
        return e.toProfile();
    }


    private UserEntity entity(Tx tx, long orgId, long userId) {
        UserEntity e = repository.find(tx, userId).orElse(null);
        if (e == null || e.orgId == null || e.orgId != orgId) {
            throw KairanException.notFound("user");
        }
        return e;
    }

    private void requireAnotherOwner(Tx tx, long orgId, long userId) {
        if (repository.otherActiveOwners(tx, orgId, userId) == 0) {
            throw KairanException.conflict("the last active owner cannot be removed or suspended");
        }
    }

    private static void checkGrant(Principal actor, long orgId, Set<Role> before, Set<Role> after) {
        if (actor.ownerOf(orgId) || actor.isOperator()) {
            return;
        }
        for (Role r : Role.values()) {
            if (r.ownerGranted() && before.contains(r) != after.contains(r)) {
                throw KairanException.forbidden("only an owner grants or removes the role " + r.wireName());
            }
        }
    }

    private static Set<Role> parseRoles(List<String> wire) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (wire != null) {
            for (String w : wire) {
                roles.add(Role.parseOrgRole(w).orElseThrow(() -> KairanException.invalidField("roles", "unknown role")));
            }
        }
        return roles;
    }

    private Long departmentOf(Tx tx, long orgId, String rawId) {
        if (rawId == null || rawId.isEmpty()) {
            return null;
        }
        long id = Fields.id(rawId, "department");
        DepartmentEntity d = departments.find(tx, id).orElse(null);
        if (d == null || d.orgId != orgId) {
            throw KairanException.invalidField("departmentId", "no such department in this organization");
        }
        return id;
    }

    static List<String> wire(Set<Role> roles) {
        return roles.stream().sorted().map(Role::wireName).toList();
    }
}
