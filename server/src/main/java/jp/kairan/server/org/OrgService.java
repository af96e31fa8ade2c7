package jp.kairan.server.org;

import jp.kairan.server.access.Role;
import jp.kairan.server.access.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.CreateOrgRequest;
import jp.kairan.protocol.api.DirectoryEntry;
import jp.kairan.protocol.api.Org;
import jp.kairan.protocol.api.OrgPolicy;
import jp.kairan.protocol.api.UpdateOrgRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/**
 * Organizations, their settings and the staff directory. Every method checks that the actor may do what it asks;
 * objects of another organization are reported as not found. Methods without a {@link Tx} run in a transaction of
 * their own and block (call them off I/O threads); those with one join the caller's, for features that compose
 * them (auth, devices). Thread-safe.
 */
public final class OrgService {
    /** Devices per user unless the owner says otherwise. */
    public static final int DEFAULT_MAX_DEVICES = 5;
    /** The highest device limit an owner may set. */
    public static final int MAX_DEVICES_LIMIT = 20;
    /** The longest emergency an org may allow: one week. */
    public static final int MAX_EMERGENCY_HOURS = 168;

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final Users users;
    private final OrgRepository repository = new OrgRepository();
    private final UserRepository userRows = new UserRepository();
    private final DepartmentRepository departments = new DepartmentRepository();

    public OrgService(Database db, Clock clock, AuditService audit) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.users = new Users(clock, audit);
    }

    /** The entity classes of this feature, for the session factory. */
    public static List<Class<?>> entityClasses() {
        return List.of(OrganizationEntity.class, DepartmentEntity.class, UserEntity.class);
    }

    /** Users of organizations (and the operator). */
    public Users users() {
        return users;
    }

    /**
     * Creates an organization and its first owner (operator only). The owner's credentials are the caller's
     * business.
     */
    public OrgWithOwner createOrg(Tx tx, Principal actor, CreateOrgRequest req, Origin origin) {
        if (!actor.isOperator()) {
            throw KairanException.forbidden("only the operator creates organizations");
        }
        if (req.owner() == null) {
            throw KairanException.invalidField("owner", "required");
        }
        OrganizationEntity e = new OrganizationEntity();
        e.id = Ids.next();
        e.name = Fields.name("name", req.name());
        e.lgCode = Fields.lgCode(req.lgCode());
        e.allowedFactors = encode(EnumSet.allOf(Factor.class));
        e.maxDevicesPerUser = DEFAULT_MAX_DEVICES;
        e.createdAt = clock.instant();
        repository.insert(tx, e);
        audit.record(tx, new AuditEvent(e.id, actorId(actor), actor.loginId(), AuditAction.ORG_CREATED, "org",
                Long.toString(e.id), Map.of("name", e.name)), origin);
        UserProfile owner = users.insert(tx, actor, e.id, req.owner().loginId(), req.owner().displayName(),
                req.owner().email(), null, EnumSet.of(Role.OWNER, Role.MEMBER), origin);
        return new OrgWithOwner(toOrg(tx, e), owner);
    }

    /** All organizations (operator only). */
    public List<Org> listOrgs(Principal actor) {
        if (!actor.isOperator()) {
            throw KairanException.forbidden("only the operator lists organizations");
        }
        return db.call(tx -> repository.all(tx).stream().map(o -> toOrg(tx, o)).toList());
    }

    /** One organization: the operator, or any user of it. */
    public Org getOrg(Principal actor, long orgId) {
        if (!actor.isOperator() && !actor.inOrg(orgId)) {
            throw KairanException.notFound("organization");
        }
        return db.call(tx -> toOrg(tx, find(tx, orgId)));
    }

    /** Renames or re-codes (operator or owner) and sets allowed factors (owner only). */
    public Org updateOrg(Principal actor, long orgId, UpdateOrgRequest req, Origin origin) {
        if (!actor.isOperator() && !actor.inOrg(orgId)) {
            throw KairanException.notFound("organization");
        }
        boolean owner = actor.ownerOf(orgId);
        if (!owner && !actor.isOperator()) {
            throw KairanException.forbidden("only the operator or an owner changes the organization");
        }
        return db.call(tx -> updateOrg(tx, actor, orgId, owner, req, origin));
    }

    private Org updateOrg(Tx tx, Principal actor, long orgId, boolean owner, UpdateOrgRequest req, Origin origin) {
        OrganizationEntity e = find(tx, orgId);
        if (req.name() != null) {
            e.name = Fields.name("name", req.name());
        }
        if (req.lgCode() != null) {
            e.lgCode = Fields.lgCode(req.lgCode());
        }
        if (req.name() != null || req.lgCode() != null) {
            audit.record(tx, new AuditEvent(orgId, actorId(actor), actor.loginId(), AuditAction.ORG_UPDATED, "org",
                    Long.toString(orgId), Map.of("name", e.name, "lgCode", String.valueOf(e.lgCode))), origin);
        }
        if (req.allowedFactors() != null) {
            if (!owner) {
                throw KairanException.forbidden("only an owner chooses the second factors");
            }
            Set<Factor> factors = EnumSet.noneOf(Factor.class);
            for (String f : req.allowedFactors()) {
                factors.add(Factor.parse(f).orElseThrow(() -> KairanException.invalidField("allowedFactors", "unknown factor")));
            }
            if (factors.isEmpty()) {
                throw KairanException.invalidField("allowedFactors", "at least one second factor is required");
            }
            e.allowedFactors = encode(factors);
            audit.record(tx, new AuditEvent(orgId, actorId(actor), actor.loginId(), AuditAction.ORG_FACTORS_CHANGED,
                    "org", Long.toString(orgId), Map.of("allowedFactors", e.allowedFactors)), origin);
        }
        if (req.maxDevicesPerUser() != null) {
            if (!owner) {
                throw KairanException.forbidden("only an owner sets the device limit");
            }
            int max = req.maxDevicesPerUser();
            if (max < 1 || max > MAX_DEVICES_LIMIT) {
                throw KairanException.invalidField("maxDevicesPerUser", "1 to " + MAX_DEVICES_LIMIT);
            }
            e.maxDevicesPerUser = max;
            audit.record(tx, new AuditEvent(orgId, actorId(actor), actor.loginId(), AuditAction.ORG_UPDATED, "org",
                    Long.toString(orgId), Map.of("maxDevicesPerUser", max)), origin);
        }
        return toOrg(tx, e);
    }

    /**
     * Replaces the organization's classification settings (owners). Fields left null keep their value. Returns
     * after the commit; telling the classifier of the change is the caller's business.
     */
    public Org updatePolicy(Principal actor, long orgId, OrgPolicy req, Origin origin) {
        if (!actor.inOrg(orgId)) {
            throw KairanException.notFound("organization");
        }
        if (!actor.ownerOf(orgId)) {
            throw KairanException.forbidden("only an owner changes the organization's classification policy");
        }
        return db.call(tx -> updatePolicy(tx, actor, orgId, req, origin));
    }

    private Org updatePolicy(Tx tx, Principal actor, long orgId, OrgPolicy req, Origin origin) {
        OrganizationEntity e = find(tx, orgId);
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        if (req.defaultCeiling() != null) {
            if (!java.util.List.of("I", "II", "III", "IV").contains(req.defaultCeiling())) {
                throw KairanException.invalidField("defaultCeiling", "one of I, II, III, IV");
            }
            changed.put("defaultCeiling", req.defaultCeiling());
            e.defaultCeiling = req.defaultCeiling();
        }
        if (req.emergencyMaxHours() != null) {
            int h = req.emergencyMaxHours();
            if (h < 1 || h > MAX_EMERGENCY_HOURS) {
                throw KairanException.invalidField("emergencyMaxHours", "1 to " + MAX_EMERGENCY_HOURS);
            }
            changed.put("emergencyMaxHours", h);
            e.emergencyMaxHours = h;
        }
        if (req.emergencySingleApprover() != null) {
            changed.put("emergencySingleApprover", req.emergencySingleApprover());
            e.emergencySingleApprover = req.emergencySingleApprover();
        }
        if (!changed.isEmpty()) {
            audit.record(tx, new AuditEvent(orgId, actorId(actor), actor.loginId(), AuditAction.POLICY_ORG_CHANGED, "org",
                    Long.toString(orgId), changed), origin);
        }
        return toOrg(tx, e);
    }

    /**
     * The colleague directory: the active users of the actor's organization with their department's name,
     * optionally filtered by a name or login ID substring. The operator, who belongs to no organization, is
     * refused.
     */
    public List<DirectoryEntry> directory(Principal actor, String query) {
        if (actor.orgId() == null) {
            throw new KairanException(ErrorCode.FORBIDDEN, "the operator takes no part in talks");
        }
        long orgId = actor.orgId();
        return db.call(tx -> {
            Map<String, String> deptNames = new HashMap<>();
            for (DepartmentEntity d : departments.list(tx, orgId)) {
                deptNames.put(Long.toString(d.id), d.name);
            }
            return users.list(tx, actor, orgId, query, null).stream()
                    .filter(u -> u.status() == UserStatus.ACTIVE)
                    .map(u -> {
                        String dept = u.departmentId() == null ? null : Long.toString(u.departmentId());
                        return new DirectoryEntry(Long.toString(u.id()), u.displayName(), dept,
                                dept == null ? null : deptNames.get(dept));
                    }).toList();
        });
    }

    /** How many pending or approved devices one user may have; for the operator (no org) the default. */
    public int maxDevicesPerUser(Tx tx, Long orgId) {
        return orgId == null ? DEFAULT_MAX_DEVICES : find(tx, orgId).maxDevicesPerUser;
    }

    /** The second factors the organization allows; for the operator (no org) only TOTP. */
    public Set<Factor> allowedFactors(Tx tx, Long orgId) {
        if (orgId == null) {
            return EnumSet.of(Factor.TOTP);
        }
        return decode(find(tx, orgId).allowedFactors);
    }

    /** The organization's name, empty for null. */
    public Optional<String> orgName(Tx tx, Long orgId) {
        return orgId == null ? Optional.empty() : Optional.of(find(tx, orgId).name);
    }

    private OrganizationEntity find(Tx tx, long orgId) {
        OrganizationEntity e = repository.find(tx, orgId).orElse(null);
        if (e == null) {
            throw KairanException.notFound("organization");
        }
        return e;
    }

    private Org toOrg(Tx tx, OrganizationEntity e) {
        long count = userRows.countInOrg(tx, e.id);
        List<String> factors = new ArrayList<>();
        decode(e.allowedFactors).forEach(f -> factors.add(f.wireName()));
        return new Org(Long.toString(e.id), e.name, e.lgCode, factors, count, e.createdAt, e.maxDevicesPerUser,
                new OrgPolicy(e.defaultCeiling, e.emergencyMaxHours, e.emergencySingleApprover));
    }

    static Long actorId(Principal actor) {
        return actor.userId() == 0 ? null : actor.userId();
    }

    private static String encode(Set<Factor> factors) {
        return factors.stream().map(Factor::wireName).collect(Collectors.joining(","));
    }

    private static Set<Factor> decode(String text) {
        Set<Factor> out = new LinkedHashSet<>();
        for (String s : text.split(",")) {
            Factor.parse(s.strip()).ifPresent(out::add);
        }
        return out;
    }

    /** A new organization and its first owner. */
    public record OrgWithOwner(Org org, UserProfile owner) {
    }
}
