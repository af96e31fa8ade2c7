package jp.kairan.server.org;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jp.kairan.server.access.Role;
import jp.kairan.server.store.Tx;

/** Users and their roles, through Hibernate. Every method joins the caller's transaction. Stateless. */
final class UserRepository {

    Optional<UserEntity> find(Tx tx, long userId) {
        return Optional.ofNullable(tx.session().find(UserEntity.class, userId));
    }

    /** The user with this login ID, which the caller has normalized. */
    Optional<UserEntity> findByLogin(Tx tx, String normalizedLoginId) {
        return tx.session().createSelectionQuery("from UserEntity u where u.loginId = :login", UserEntity.class)
                .setParameter("login", normalizedLoginId).uniqueResultOptional();
    }

    void insert(Tx tx, UserEntity e) {
        tx.session().persist(e);
    }

    /**
     * Users of an organization by login ID, at most {@code max}; {@code query} (may be null or blank) is a
     * case-insensitive substring of the login ID or display name, {@code departmentId} (may be null) a department.
     */
    List<UserEntity> list(Tx tx, long orgId, String query, Long departmentId, int max) {
        boolean byText = query != null && !query.isBlank();
        StringBuilder hql = new StringBuilder("from UserEntity u where u.orgId = :org");
        if (byText) {
            hql.append(" and (lower(u.loginId) like :q escape '!' or lower(u.displayName) like :q escape '!')");
        }
        if (departmentId != null) {
            hql.append(" and u.departmentId = :dept");
        }
        hql.append(" order by u.loginId");
        var q = tx.session().createSelectionQuery(hql.toString(), UserEntity.class).setParameter("org", orgId);
        if (byText) {
            String escaped = query.strip().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
            q.setParameter("q", "%" + escaped + "%");
        }
        if (departmentId != null) {
            q.setParameter("dept", departmentId);
        }
        return q.setMaxResults(max).getResultList();
    }

    /** How many active owners of the organization there are besides {@code userId}. */
    long otherActiveOwners(Tx tx, long orgId, long userId) {
        return tx.session().createSelectionQuery(
                        "select count(u) from UserEntity u join u.roles r where u.orgId = :org and u.id <> :user"
                                + " and r = :owner and u.status = :active", Long.class)
                .setParameter("org", orgId).setParameter("user", userId).setParameter("owner", Role.OWNER)
                .setParameter("active", UserStatus.ACTIVE.name()).getSingleResult();
    }

    /** How many users the organization has. */
    long countInOrg(Tx tx, long orgId) {
        return tx.session().createSelectionQuery("select count(u) from UserEntity u where u.orgId = :org", Long.class)
                .setParameter("org", orgId).getSingleResult();
    }

    /** How many users belong to the department. */
    long countInDepartment(Tx tx, long departmentId) {
        return tx.session().createSelectionQuery("select count(u) from UserEntity u where u.departmentId = :id", Long.class)
                .setParameter("id", departmentId).getSingleResult();
    }
}
