package jp.kairan.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/**
 * Rotating refresh tokens (OAuth 2.0 Security BCP §4.14). Each sign-in starts a family; each refresh spends the
 * presented token and issues the next one with the family's original expiry. Presenting a spent token again
 * means it was copied: the whole family is revoked. A spent token is still honoured for {@link #GRACE} after it
 * was spent, so that two tabs refreshing at the same moment do not sign the user out. Only SHA-256 hashes are
 * stored ({@link RefreshTokenRepository}). Thread-safe.
 */
final class RefreshTokens {
    static final Duration GRACE = Duration.ofSeconds(5);

    private final Clock clock;
    private final Secrets secrets;
    private final Duration ttl;
    private final RefreshTokenRepository repo = new RefreshTokenRepository();

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
        RefreshTokenRepository.Row e = repo.findByHash(tx, Secrets.sha256(token)).orElse(null);
        Instant now = clock.instant();
        if (e == null || e.revokedAt() != null || !e.expiresAt().isAfter(now)) {
            return new Invalid();
        }
        if (e.usedAt() != null && e.usedAt().plus(GRACE).isBefore(now)) {
            revokeFamily(tx, e.familyId());
            return new Reused(e.familyId(), e.userId());
        }
        if (e.usedAt() == null) {
            repo.markUsed(tx, e.id(), now);
        }
        return new Rotated(insert(tx, e.familyId(), e.userId(), e.deviceId(), e.expiresAt()));
    }

    /** The family of a live token, for sign-out; empty when the token is unknown. */
    Optional<Issued> find(Tx tx, String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return repo.findByHash(tx, Secrets.sha256(token))
                .map(e -> new Issued(null, e.familyId(), e.userId(), e.deviceId(), e.expiresAt()));
    }

    void revokeFamily(Tx tx, long familyId) {
        repo.revokeFamily(tx, familyId, clock.instant());
    }

    /** Revokes every session of a user (password reset, suspension); returns the families it ended. */
    List<Long> revokeUser(Tx tx, long userId) {
        return repo.revokeUser(tx, userId, clock.instant());
    }

    /** Revokes every session of a device (revocation); returns the families it ended. */
    List<Long> revokeDevice(Tx tx, long deviceId) {
        return repo.revokeDevice(tx, deviceId, clock.instant());
    }

    /** Whether the sign-in session is still alive (not revoked, not expired). */
    boolean familyActive(Tx tx, long familyId) {
        return repo.familyActive(tx, familyId, clock.instant());
    }

    private Issued insert(Tx tx, long familyId, long userId, Long deviceId, Instant expiresAt) {
        String token = secrets.token();
        repo.insert(tx, familyId, userId, Secrets.sha256(token), clock.instant(), expiresAt, deviceId);
        return new Issued(token, familyId, userId, deviceId, expiresAt);
    }
}
