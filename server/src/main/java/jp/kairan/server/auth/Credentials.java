package jp.kairan.server.auth;

import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import jp.kairan.server.store.Tx;

/**
 * Sign-in secrets of users: the Argon2id password hash, the TOTP secret and its last used step, and the
 * failed-attempt counter with the lock. Argon2id runs outside transactions (it takes tens of milliseconds);
 * this class only reads and writes rows. Thread-safe.
 */
public final class Credentials {
    private final Clock clock;
    private final HashingGate hasher;
    private final Totp totp = new Totp();

    Credentials(Clock clock, PasswordHasher hasher) {
        this.clock = clock;
        this.hasher = new HashingGate(hasher, Runtime.getRuntime().availableProcessors());
    }

    /** What sign-in and the admin screens need to know about a user's credentials. */
    public record Status(boolean locked, boolean totpEnrolled, Instant lastLoginAt) {
    }

    /** Snapshot of one user's credential row for a sign-in step (no secrets beyond what the step needs). */
    record Snapshot(long userId, String passwordHash, boolean mustChangePassword, byte[] totpSecret, long totpLastStep,
                    int failedAttempts, Instant lockedUntil) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    static List<Class<?>> entityClasses() {
        return List.of(CredentialEntity.class);
    }

    /** Creates the row with an already computed hash (the caller hashed outside the transaction). */
    void create(Tx tx, long userId, String passwordHash) {
        CredentialEntity e = new CredentialEntity();
        e.userId = userId;
        e.passwordHash = passwordHash;
        e.mustChangePassword = true;
        e.updatedAt = clock.instant();
        tx.session().persist(e);
    }

    Snapshot snapshot(Tx tx, long userId) {
        CredentialEntity e = entity(tx, userId);
        return new Snapshot(e.userId, e.passwordHash, e.mustChangePassword, e.totpSecret, e.totpLastStep,
                e.failedAttempts, e.lockedUntil);
    }

    /** Counts a failure; returns true when this failure locked the account. */
    boolean recordFailure(Tx tx, long userId, int threshold, Duration lockFor) {
        CredentialEntity e = entity(tx, userId);
        Instant now = clock.instant();
        if (e.lockedUntil != null && !e.lockedUntil.isAfter(now)) {
            e.failedAttempts = 0;
            e.lockedUntil = null;
        }
        e.failedAttempts++;
        e.updatedAt = now;
        if (e.failedAttempts >= threshold && e.lockedUntil == null) {
            e.lockedUntil = now.plus(lockFor);
            return true;
        }
        return false;
    }

    /** Clears the failure counter (after a correct password or a completed sign-in). */
    void clearFailures(Tx tx, long userId) {
        CredentialEntity e = entity(tx, userId);
        if (e.failedAttempts != 0 || e.lockedUntil != null) {
            e.failedAttempts = 0;
            e.lockedUntil = null;
            e.updatedAt = clock.instant();
        }
    }

    void recordLogin(Tx tx, long userId) {
        CredentialEntity e = entity(tx, userId);
        e.failedAttempts = 0;
        e.lockedUntil = null;
        e.lastLoginAt = clock.instant();
        e.updatedAt = e.lastLoginAt;
    }

    /** Replaces the password hash; {@code mustChange} marks an admin-issued password. */
    void setPassword(Tx tx, long userId, String passwordHash, boolean mustChange) {
        CredentialEntity e = entity(tx, userId);
        e.passwordHash = passwordHash;
        e.mustChangePassword = mustChange;
        e.updatedAt = clock.instant();
    }

    void setTotp(Tx tx, long userId, byte[] secret, long usedStep) {
        CredentialEntity e = entity(tx, userId);
        e.totpSecret = secret;
        e.totpLastStep = usedStep;
        e.updatedAt = clock.instant();
    }

    /**
     * Verifies a TOTP code and consumes its time step. The row is locked ({@code SELECT … FOR UPDATE}) while the
     * step is checked and stored, so one code signs in once even when two requests race.
     */
    boolean consumeTotp(Tx tx, Snapshot s, String code) {
        CredentialEntity e = tx.session().find(CredentialEntity.class, s.userId(), LockModeType.PESSIMISTIC_WRITE);
        if (e == null || e.totpSecret == null) {
            return false;
        }
        OptionalLong step = totp.verify(e.totpSecret, code, clock.instant(), e.totpLastStep);
        if (step.isEmpty()) {
            return false;
        }
        e.totpLastStep = step.getAsLong();
        e.updatedAt = clock.instant();
        return true;
    }

    /** Unlocks; returns whether it was locked or had failures. */
    boolean unlock(Tx tx, long userId) {
        CredentialEntity e = entity(tx, userId);
        boolean was = e.lockedUntil != null || e.failedAttempts > 0;
        e.failedAttempts = 0;
        e.lockedUntil = null;
        e.updatedAt = clock.instant();
        return was;
    }

    /** Status of many users at once, for user lists. */
    public Map<Long, Status> status(Tx tx, Collection<Long> userIds) {
        Map<Long, Status> out = new HashMap<>();
        if (userIds.isEmpty()) {
            return out;
        }
        Instant now = clock.instant();
        tx.session().createSelectionQuery("from CredentialEntity c where c.userId in :ids", CredentialEntity.class)
                .setParameter("ids", userIds).getResultList()
                .forEach(e -> out.put(e.userId, new Status(e.lockedUntil != null && e.lockedUntil.isAfter(now),
                        e.totpSecret != null, e.lastLoginAt)));
        return out;
    }

    /** The password hasher, bounded to one hash per core. */
    HashingGate hasher() {
        return hasher;
    }

    Totp totp() {
        return totp;
    }

    private static CredentialEntity entity(Tx tx, long userId) {
        CredentialEntity e = tx.session().find(CredentialEntity.class, userId);
        if (e == null) {
            throw new IllegalStateException("no credentials for user " + userId);
        }
        return e;
    }
}
