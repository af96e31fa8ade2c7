package jp.kairan.server.auth;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kairan.server.store.Tx;

/**
 * The {@code credentials} rows (Hibernate, one row per user, {@code version}-guarded). Reads return
 * {@link Credentials.Snapshot}s; writes take the time from the caller. Stateless.
 */
final class CredentialRepository {

    /** A row's TOTP state, read under a row lock. */
    record TotpState(byte[] secret, long lastStep) {
    }

    void insert(Tx tx, long userId, String passwordHash, boolean mustChangePassword, Instant now) {
        CredentialEntity e = new CredentialEntity();
        e.userId = userId;
        e.passwordHash = passwordHash;
        e.mustChangePassword = mustChangePassword;
        e.updatedAt = now;
        tx.session().persist(e);
    }

    Credentials.Snapshot snapshot(Tx tx, long userId) {
        CredentialEntity e = entity(tx, userId);
        return new Credentials.Snapshot(e.userId, e.passwordHash, e.mustChangePassword, e.totpSecret, e.totpLastStep,
                e.failedAttempts, e.lockedUntil);
    }

    /** Stores the failure counter and the lock (null: not locked). */
    void setFailures(Tx tx, long userId, int failedAttempts, Instant lockedUntil, Instant now) {
        CredentialEntity e = entity(tx, userId);
        e.failedAttempts = failedAttempts;
        e.lockedUntil = lockedUntil;
        e.updatedAt = now;
    }

    /** A completed sign-in: no failures, no lock, and when. */
    void recordLogin(Tx tx, long userId, Instant now) {
        CredentialEntity e = entity(tx, userId);
        e.failedAttempts = 0;
        e.lockedUntil = null;
        e.lastLoginAt = now;
        e.updatedAt = now;
    }

    void setPassword(Tx tx, long userId, String passwordHash, boolean mustChange, Instant now) {
        CredentialEntity e = entity(tx, userId);
        e.passwordHash = passwordHash;
        e.mustChangePassword = mustChange;
        e.updatedAt = now;
    }

    void setTotp(Tx tx, long userId, byte[] secret, long usedStep, Instant now) {
        CredentialEntity e = entity(tx, userId);
        e.totpSecret = secret;
        e.totpLastStep = usedStep;
        e.updatedAt = now;
    }

    /**
     * Reads the TOTP state with the row locked ({@code SELECT … FOR UPDATE}) until the transaction ends; empty when
     * the user has no row or no authenticator.
     */
    Optional<TotpState> lockTotp(Tx tx, long userId) {
        CredentialEntity e = tx.session().find(CredentialEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || e.totpSecret == null) {
            return Optional.empty();
        }
        return Optional.of(new TotpState(e.totpSecret, e.totpLastStep));
    }

    /** Stores the last used TOTP step (after {@link #lockTotp}). */
    void setTotpStep(Tx tx, long userId, long step, Instant now) {
        CredentialEntity e = entity(tx, userId);
        e.totpLastStep = step;
        e.updatedAt = now;
    }

    /** Lock state, TOTP enrolment and last sign-in of many users at once. */
    Map<Long, Credentials.Status> status(Tx tx, Collection<Long> userIds, Instant now) {
        Map<Long, Credentials.Status> out = new HashMap<>();
        if (userIds.isEmpty()) {
            return out;
        }
        tx.session().createSelectionQuery("from CredentialEntity c where c.userId in :ids", CredentialEntity.class)
                .setParameter("ids", userIds).getResultList()
                .forEach(e -> out.put(e.userId, new Credentials.Status(e.lockedUntil != null && e.lockedUntil.isAfter(now),
                        e.totpSecret != null, e.lastLoginAt)));
        return out;
    }

    static List<Class<?>> entityClasses() {
        return List.of(CredentialEntity.class);
    }

    private static CredentialEntity entity(Tx tx, long userId) {
        CredentialEntity e = tx.session().find(CredentialEntity.class, userId);
        if (e == null) {
            throw new IllegalStateException("no credentials for user " + userId);
        }
        return e;
    }
}
