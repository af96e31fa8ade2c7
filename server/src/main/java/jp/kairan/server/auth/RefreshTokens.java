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
 * means it was copied: the whole family is revoked. Only SHA-256 hashes are stored ({@link RefreshTokenRepository}).
 *
 * <p>The grace. A spent token is still honoured for {@link #GRACE} after it was spent, so that two tabs refreshing
 * at the same moment do not sign the user out; but it must not start a second live branch of the session. So it
 * answers with the same successor it was spent for (or, if that was spent too, the branch's live head): when a
 * token is spent, its successor is stored with it sealed by AES-256-GCM under a key derived from the spent token's
 * cleartext ({@code HMAC-SHA256(token, label)}), which only the holder of the token has — the server keeps no key,
 * nodes need share nothing, and the stored hash does not give the key. Presenting the spent token within the
 * grace opens the seal and hands back that token; after the grace, presenting it ends the family as before.
 * Two refreshes of one token are serialised by a row lock ({@link RefreshTokenRepository#lockByHash}), so the
 * second one always finds what the first spent. Thread-safe.
 */
final class RefreshTokens {
    static final Duration GRACE = Duration.ofSeconds(5);
    /** How many successors a spent token follows within the grace (a branch moves on a few times at most). */
    private static final int MAX_HOPS = 16;

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
        RefreshTokenRepository.Row e = repo.lockByHash(tx, Secrets.sha256(token)).orElse(null);
        Instant now = clock.instant();
        if (e == null || e.revokedAt() != null || !e.expiresAt().isAfter(now)) {
            return new Invalid();
        }
        if (e.usedAt() != null && e.usedAt().plus(GRACE).isBefore(now)) {
            revokeFamily(tx, e.familyId());
            return new Reused(e.familyId(), e.userId());
        }
        if (e.usedAt() == null) {
            Issued next = insert(tx, e.familyId(), e.userId(), e.deviceId(), e.expiresAt());
            repo.markUsed(tx, e.id(), now, secrets.seal(token, next.token()));
            return new Rotated(next);
        }
        return head(tx, token, e, now);
    }

    /**
     * Within the grace: follows the spent token's sealed successors to the branch's live head and hands that back
     * again (no new token). Invalid when the seal is missing (spent before it was kept) or the branch ended.
     */
    private Rotation head(Tx tx, String spent, RefreshTokenRepository.Row row, Instant now) {
        String token = spent;
        RefreshTokenRepository.Row at = row;
        for (int hops = 0; hops < MAX_HOPS && at.usedAt() != null; hops++) {
            String successor = at.successorSealed() == null ? null : secrets.open(token, at.successorSealed());
            at = successor == null ? null : repo.lockByHash(tx, Secrets.sha256(successor)).orElse(null);
            if (at == null || at.revokedAt() != null || !at.expiresAt().isAfter(now)) {
                return new Invalid();
            }
            token = successor;
        }
        if (at.usedAt() != null) {
            return new Invalid();
        }
        return new Rotated(new Issued(token, at.familyId(), at.userId(), at.deviceId(), at.expiresAt()));
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
