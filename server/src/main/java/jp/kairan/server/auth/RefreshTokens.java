package jp.kairan.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/**
 * Rotating refresh tokens (OAuth 2.0 Security BCP §4.14). Each sign-in starts a family; each refresh spends the
 * presented token and issues the next one with the family's original expiry. Presenting a spent token again
 * means it was copied: the whole family is revoked. A spent token is still honoured for {@link #GRACE} after it
 * was spent, so that two tabs refreshing at the same moment do not sign the user out. Only SHA-256 hashes are
 * stored. Thread-safe.
 */
final class RefreshTokens {
    static final Duration GRACE = Duration.ofSeconds(5);

    private final Clock clock;
    private final Secrets secrets;
    private final Duration ttl;

    RefreshTokens(Clock clock, Secrets secrets, Duration ttl) {
        this.clock = clock;
        this.secrets = secrets;
        this.ttl = ttl;
    }

    /** A token handed out: the cleartext goes to the cookie and nowhere else. */
    record Issued(String token, long familyId, long userId, Long deviceId, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[family=" + familyId + ", user=" + userId + ", device=" + deviceId + "]";
        }
    }

    /** Outcome of a refresh. */
    sealed interface Rotation permits Rotated, Invalid, Reused {
    }

    record Rotated(Issued next) implements Rotation {
    }

    record Invalid() implements Rotation {
    }

    /** A spent token was presented again: the family is now revoked. */
    record Reused(long familyId, long userId) implements Rotation {
    }

    Issued start(Tx tx, long userId, long deviceId) {
        Instant now = clock.instant();
        return insert(tx, Ids.next(), userId, deviceId, now.plus(ttl));
    }

    Rotation rotate(Tx tx, String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return new Invalid();
        }
        RefreshTokenEntity e = tx.session().createSelectionQuery("from RefreshTokenEntity t where t.tokenHash = :h",
                RefreshTokenEntity.class).setParameter("h", Secrets.sha256(token)).uniqueResultOptional().orElse(null);
        Instant now = clock.instant();
        if (e == null || e.revokedAt != null || !e.expiresAt.isAfter(now)) {
            return new Invalid();
        }
        if (e.usedAt != null && e.usedAt.plus(GRACE).isBefore(now)) {
            revokeFamily(tx, e.familyId);
            return new Reused(e.familyId, e.userId);
        }
        if (e.usedAt == null) {
            e.usedAt = now;
        }
        return new Rotated(insert(tx, e.familyId, e.userId, e.deviceId, e.expiresAt));
    }

    /** The family of a live token, for sign-out; empty when the token is unknown. */
    java.util.Optional<Issued> find(Tx tx, String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return java.util.Optional.empty();
        }
        return tx.session().createSelectionQuery("from RefreshTokenEntity t where t.tokenHash = :h", RefreshTokenEntity.class)
                .setParameter("h", Secrets.sha256(token)).uniqueResultOptional()
                .map(e -> new Issued(null, e.familyId, e.userId, e.deviceId, e.expiresAt));
    }

    void revokeFamily(Tx tx, long familyId) {
        tx.session().createMutationQuery("update RefreshTokenEntity t set t.revokedAt = :now where t.familyId = :f and t.revokedAt is null")
                .setParameter("now", clock.instant()).setParameter("f", familyId).executeUpdate();
    }

    /** Revokes every session of a user (password reset, suspension); returns the families it ended. */
    java.util.List<Long> revokeUser(Tx tx, long userId) {
        return revokeAll(tx, "userId", userId);
    }

    /** Revokes every session of a device (revocation); returns the families it ended. */
    java.util.List<Long> revokeDevice(Tx tx, long deviceId) {
        return revokeAll(tx, "deviceId", deviceId);
    }

    /** Revokes the live tokens whose {@code attribute} (userId or deviceId) is {@code value}. */
    private java.util.List<Long> revokeAll(Tx tx, String attribute, long value) {
        String where = " where t." + attribute + " = :v and t.revokedAt is null";
        java.util.List<Long> families = tx.session()
                .createSelectionQuery("select distinct t.familyId from RefreshTokenEntity t" + where, Long.class)
                .setParameter("v", value).getResultList();
        tx.session().createMutationQuery("update RefreshTokenEntity t set t.revokedAt = :now" + where)
                .setParameter("now", clock.instant()).setParameter("v", value).executeUpdate();
        return families;
    }

    /** Whether the sign-in session is still alive (not revoked, not expired). */
    boolean familyActive(Tx tx, long familyId) {
        return tx.session().createSelectionQuery(
                        "select count(t) from RefreshTokenEntity t where t.familyId = :f and t.revokedAt is null and t.expiresAt > :now",
                        Long.class)
                .setParameter("f", familyId).setParameter("now", clock.instant()).getSingleResult() > 0;
    }

    private Issued insert(Tx tx, long familyId, long userId, Long deviceId, Instant expiresAt) {
        String token = secrets.token();
        RefreshTokenEntity e = new RefreshTokenEntity();
        e.id = Ids.next();
        e.familyId = familyId;
        e.userId = userId;
        e.tokenHash = Secrets.sha256(token);
        e.createdAt = clock.instant();
        e.expiresAt = expiresAt;
        e.deviceId = deviceId;
        tx.session().persist(e);
        return new Issued(token, familyId, userId, deviceId, expiresAt);
    }
}
