package jp.kairan.server.org;

import jp.kairan.server.access.Principal;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.kairan.protocol.api.Department;
import jp.kairan.protocol.api.DepartmentRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/**
 * The department tree (所属) of an organization. Any user of the organization reads it; owners and admins
 * change it. The tree never gets a cycle, and a department with users or sub-departments cannot be deleted.
 * Each method runs in a transaction of its own and blocks; call it off I/O threads. Thread-safe.
 */
public final class Departments {
    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final DepartmentRepository repository = new DepartmentRepository();
    private final UserRepository users = new UserRepository();

    public Departments(Database db, Clock clock, AuditService audit) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
    }

    public List<Department> list(Principal actor, long orgId) {
        if (!actor.inOrg(orgId)) {
            throw KairanException.notFound("organization");
        }
        return db.call(tx -> repository.list(tx, orgId).stream().map(Departments::dto).toList());
    }

    public Department create(Principal actor, long orgId, DepartmentRequest req, Origin origin) {
        actor.requireAdminOf(orgId);
        return db.call(tx -> {
            DepartmentEntity e = new DepartmentEntity();
            e.id = Ids.next();
            e.orgId = orgId;
            e.name = Fields.name("name", req.name());
            e.parentId = parent(tx, orgId, req.parentId());
            e.createdAt = clock.instant();
            repository.insert(tx, e);
            record(tx, actor, orgId, AuditAction.DEPARTMENT_CREATED, e, origin);
            return dto(e);
        });
    }

    public Department update(Principal actor, long orgId, long deptId, DepartmentRequest req, Origin origin) {
        actor.requireAdminOf(orgId);
        return db.call(tx -> {
            DepartmentEntity e = find(tx, orgId, deptId);
            if (req.name() != null) {
                e.name = Fields.name("name", req.name());
            }
            if (req.parentId() != null) {
                Long parent = parent(tx, orgId, req.parentId());
                Set<Long> seen = new HashSet<>();
                for (Long p = parent; p != null; p = find(tx, orgId, p).parentId) {
                    if (p == deptId || !seen.add(p)) {
                        throw KairanException.conflict("a department cannot be moved under itself");
                    }
                }
                e.parentId = parent;
            }
            record(tx, actor, orgId, AuditAction.DEPARTMENT_UPDATED, e, origin);
            return dto(e);
        });
    }

    public void delete(Principal actor, long orgId, long deptId, Origin origin) {
        actor.requireAdminOf(orgId);
        db.call(tx -> {
            DepartmentEntity e = find(tx, orgId, deptId);
            long children = repository.countChildren(tx, deptId);
            long members = users.countInDepartment(tx, deptId);
            if (children > 0 || members > 0) {
                throw KairanException.conflict("the department still has sub-departments or users");
            }
            repository.remove(tx, e);
            record(tx, actor, orgId, AuditAction.DEPARTMENT_DELETED, e, origin);
            return null;
        });
    }

    private void record(Tx tx, Principal actor, long orgId, AuditAction action, DepartmentEntity e, Origin origin) {
        audit.record(tx, new AuditEvent(orgId, OrgService.actorId(actor), actor.loginId(), action, "department",
                Long.toString(e.id), Map.of("name", e.name, "parentId", String.valueOf(e.parentId))), origin);
    }

    private Long parent(Tx tx, long orgId, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        long id = Fields.id(raw, "department");
        DepartmentEntity p = repository.find(tx, id).orElse(null);
        if (p == null || p.orgId != orgId) {
            throw KairanException.invalidField("parentId", "no such department in this organization");
        }
        return id;
    }

    private DepartmentEntity find(Tx tx, long orgId, long deptId) {
        DepartmentEntity e = repository.find(tx, deptId).orElse(null);
        if (e == null || e.orgId != orgId) {
            throw KairanException.notFound("department");
        }
        return e;
    }

    private static Department dto(DepartmentEntity e) {
        return new Department(Long.toString(e.id), e.name, e.parentId == null ? null : Long.toString(e.parentId));
    }
}
