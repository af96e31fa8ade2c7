package jp.kairan.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import jp.kairan.server.store.Tx;

/**
 * Sign-in secrets of users: the Argon2id password hash, the TOTP secret and its last used step, and the
 * failed-attempt counter with the lock. Holds the rules (when a failure locks, one TOTP step signs in once);
 * the rows are {@link CredentialRepository}'s. Argon2id runs outside transactions (it takes tens of milliseconds);
 * the methods that take a {@link Tx} only read and write rows. Thread-safe.
 */
public final class Credentials {
    private final Clock clock;
    private final HashingGate hasher;
    private final Totp totp = new Totp();
    private final CredentialRepository repo = new CredentialRepository();

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

    /** Creates the row with an already computed hash (the caller hashed outside the transaction). */
    void create(Tx tx, long userId, String passwordHash) {
        repo.insert(tx, userId, passwordHash, true, clock.instant());
    }

    Snapshot snapshot(Tx tx, long userId) {
        return repo.snapshot(tx, userId);
    }

    /**
     * Counts a failure; returns true when this failure locked the account. A lock that has run out starts the count
     * afresh; failures while locked count but do not extend the lock.
     */
    boolean recordFailure(Tx tx, long userId, int threshold, Duration lockFor) {
        Snapshot s = repo.snapshot(tx, userId);
        Instant now = clock.instant();
        int failed = s.failedAttempts();
        Instant lockedUntil = s.lockedUntil();
        if (lockedUntil != null && !lockedUntil.isAfter(now)) {
            failed = 0;
            lockedUntil = null;
        }
        failed++;
        boolean lockedNow = failed >= threshold && lockedUntil == null;
        if (lockedNow) {
            lockedUntil = now.plus(lockFor);
        }
        repo.setFailures(tx, userId, failed, lockedUntil, now);
        return lockedNow;
    }

    void recordLogin(Tx tx, long userId) {
        repo.recordLogin(tx, userId, clock.instant());
    }

    /** Replaces the password hash; {@code mustChange} marks an admin-issued password. */
    void setPassword(Tx tx, long userId, String passwordHash, boolean mustChange) {
        repo.setPassword(tx, userId, passwordHash, mustChange, clock.instant());
    }

    void setTotp(Tx tx, long userId, byte[] secret, long usedStep) {
        repo.setTotp(tx, userId, secret, usedStep, clock.instant());
    }

    /**
     * Verifies a TOTP code and consumes its time step. The row is locked ({@code SELECT … FOR UPDATE}) while the
     * step is checked and stored, so one code signs in once even when two requests race.
     */
    boolean consumeTotp(Tx tx, Snapshot s, String code) {
        Optional<CredentialRepository.TotpState> state = repo.lockTotp(tx, s.userId());
        if (state.isEmpty()) {
            return false;
        }
        OptionalLong step = totp.verify(state.get().secret(), code, clock.instant(), state.get().lastStep());
        if (step.isEmpty()) {
            return false;
        }
        repo.setTotpStep(tx, s.userId(), step.getAsLong(), clock.instant());
        return true;
    }

    /** Unlocks; returns whether it was locked or had failures. */
    boolean unlock(Tx tx, long userId) {
        Snapshot s = repo.snapshot(tx, userId);
        boolean was = s.lockedUntil() != null || s.failedAttempts() > 0;
        repo.setFailures(tx, userId, 0, null, clock.instant());
        return was;
    }

    /** Status of many users at once, for user lists. */
    public Map<Long, Status> status(Tx tx, Collection<Long> userIds) {
        return repo.status(tx, userIds, clock.instant());
    }

    /** The password hasher, bounded to one hash per core. */
    HashingGate hasher() {
        return hasher;
    }

    Totp totp() {
        return totp;
    }
}
