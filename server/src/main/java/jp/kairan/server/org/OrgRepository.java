package jp.kairan.server.org;

import java.util.List;
import java.util.Optional;
import jp.kairan.server.store.Tx;

/** Organizations, through Hibernate. Every method joins the caller's transaction. Stateless. */
final class OrgRepository {

    Optional<OrganizationEntity> find(Tx tx, long orgId) {
        return Optional.ofNullable(tx.session().find(OrganizationEntity.class, orgId));
    }

    /** Every organization, by id. */
    List<OrganizationEntity> all(Tx tx) {
        return tx.session().createSelectionQuery("from OrganizationEntity o order by o.id", OrganizationEntity.class)
                .getResultList();
    }

    void insert(Tx tx, OrganizationEntity e) {
        tx.session().persist(e);
    }
}
