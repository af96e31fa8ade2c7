package jp.kairan.server.auth;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/** The {@code refresh_tokens} rows (Hibernate). Only hashes of tokens are stored. Stateless. */
final class RefreshTokenRepository {

    /** One token row. */
    record Row(long id, long familyId, long userId, Instant expiresAt, Instant usedAt, Instant revokedAt, Long deviceId,
               String successorSealed) {
        @Override
        public String toString() {
            return "Row[id=" + id + ", family=" + familyId + ", usedAt=" + usedAt + ", revokedAt=" + revokedAt + "]";
        }
    }

    void insert(Tx tx, long familyId, long userId, String tokenHash, Instant createdAt, Instant expiresAt, Long deviceId) {
        RefreshTokenEntity e = new RefreshTokenEntity();
        e.id = Ids.next();
        e.familyId = familyId;
        e.userId = userId;
        e.tokenHash = tokenHash;
        e.createdAt = createdAt;
        e.expiresAt = expiresAt;
        e.deviceId = deviceId;
        tx.session().persist(e);
    }

    Optional<Row> findByHash(Tx tx, String tokenHash) {
        return tx.session().createSelectionQuery("from RefreshTokenEntity t where t.tokenHash = :h", RefreshTokenEntity.class)
                .setParameter("h", tokenHash).uniqueResultOptional()
                .map(RefreshTokenRepository::row);
    }

    /**
     * The row of a token, locked until the transaction ends and read as last committed (not from the
     * transaction's snapshot or the session's cache): two refreshes of one token run one after the other, and
     * the second sees what the first spent.
     */
    Optional<Row> lockByHash(Tx tx, String tokenHash) {
        return tx.session().createSelectionQuery("from RefreshTokenEntity t where t.tokenHash = :h", RefreshTokenEntity.class)
                .setParameter("h", tokenHash).setLockMode(LockModeType.PESSIMISTIC_WRITE).uniqueResultOptional()
                .map(e -> {
                    tx.session().refresh(e, LockModeType.PESSIMISTIC_WRITE);
                    return row(e);
                });
    }

    private static Row row(RefreshTokenEntity e) {
        return new Row(e.id, e.familyId, e.userId, e.expiresAt, e.usedAt, e.revokedAt, e.deviceId, e.successorSealed);
    }

    /** Marks a token spent, keeping its successor sealed. */
    void markUsed(Tx tx, long id, Instant now, String successorSealed) {
        RefreshTokenEntity e = tx.session().find(RefreshTokenEntity.class, id);
        if (e == null) {
            throw new IllegalStateException("refresh token " + id + " is gone");
        }
        e.usedAt = now;
        e.successorSealed = successorSealed;
    }

    void revokeFamily(Tx tx, long familyId, Instant now) {
        tx.session().createMutationQuery("update RefreshTokenEntity t set t.revokedAt = :now where t.familyId = :f and t.revokedAt is null")
                .setParameter("now", now).setParameter("f", familyId).executeUpdate();
    }

    /** Revokes the live tokens of a user; returns the families it ended. */
    List<Long> revokeUser(Tx tx, long userId, Instant now) {
        return revokeAll(tx, "userId", userId, now);
    }

    /** Revokes the live tokens of a device; returns the families it ended. */
    List<Long> revokeDevice(Tx tx, long deviceId, Instant now) {
        return revokeAll(tx, "deviceId", deviceId, now);
    }

    /** Whether the family has a token neither revoked nor expired at {@code now}. */
    boolean familyActive(Tx tx, long familyId, Instant now) {
        return tx.session().createSelectionQuery(
                        "select count(t) from RefreshTokenEntity t where t.familyId = :f and t.revokedAt is null and t.expiresAt > :now",
                        Long.class)
                .setParameter("f", familyId).setParameter("now", now).getSingleResult() > 0;
    }

    /** Revokes the live tokens whose {@code attribute} (userId or deviceId) is {@code value}. */
    private static List<Long> revokeAll(Tx tx, String attribute, long value, Instant now) {
        String where = " where t." + attribute + " = :v and t.revokedAt is null";
        List<Long> families = tx.session()
                .createSelectionQuery("select distinct t.familyId from RefreshTokenEntity t" + where, Long.class)
                .setParameter("v", value).getResultList();
        tx.session().createMutationQuery("update RefreshTokenEntity t set t.revokedAt = :now" + where)
                .setParameter("now", now).setParameter("v", value).executeUpdate();
        return families;
    }
}
