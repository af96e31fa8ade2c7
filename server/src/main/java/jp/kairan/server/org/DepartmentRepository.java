package jp.kairan.server.org;

import java.util.List;
import java.util.Optional;
import jp.kairan.server.store.Tx;

/** Departments, through Hibernate. Every method joins the caller's transaction. Stateless. */
final class DepartmentRepository {

    Optional<DepartmentEntity> find(Tx tx, long departmentId) {
        return Optional.ofNullable(tx.session().find(DepartmentEntity.class, departmentId));
    }

    /** The departments of an organization by name, then id. */
    List<DepartmentEntity> list(Tx tx, long orgId) {
        return tx.session().createSelectionQuery("from DepartmentEntity d where d.orgId = :org order by d.name, d.id",
                DepartmentEntity.class).setParameter("org", orgId).getResultList();
    }

    void insert(Tx tx, DepartmentEntity e) {
        tx.session().persist(e);
    }

    void remove(Tx tx, DepartmentEntity e) {
        tx.session().remove(e);
    }

    /** How many departments sit directly under this one. */
    long countChildren(Tx tx, long departmentId) {
        return tx.session().createSelectionQuery("select count(d) from DepartmentEntity d where d.parentId = :id", Long.class)
                .setParameter("id", departmentId).getSingleResult();
    }
}
