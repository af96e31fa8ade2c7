package jp.kairan.server.auth;

import java.time.Clock;
import java.util.Map;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;
import jp.kairan.server.store.Database;

/**
 * The first sign-in step's password check: reads the user and their credentials, verifies the password with
 * Argon2id on the calling thread (outside any transaction), and records failures — a wrong password counts towards
 * the account lock, an unknown login ID costs the same hash and locks the same way (per node), and every refusal is
 * an audit event. Thread-safe; blocks.
 */
final class PasswordCheck {
    private final Database db;
    private final Clock clock;
    private final AuthConfig config;
    private final OrgService orgs;
    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final AuditService audit;
    private final LoginCounts counts;

    PasswordCheck(Database db, Clock clock, AuthConfig config, OrgService orgs, Credentials credentials, LoginThrottle throttle,
                  AuditService audit, LoginCounts counts) {
        this.db = db;
        this.clock = clock;
        this.config = config;
        this.orgs = orgs;
        this.credentials = credentials;
        this.throttle = throttle;
        this.audit = audit;
        this.counts = counts;
    }

    /**
     * A correct password of an active user.
     *
     * @param rehash the password hashed anew when the stored hash uses old parameters, else null
     */
    record Passed(UserProfile user, Credentials.Snapshot cred, String rehash) {
        @Override
        public String toString() {
            return "Passed[user=" + user.id() + "]";
        }
    }

    /**
     * Checks {@code password} for the (normalized) {@code loginId}.
     *
     * @throws KairanException {@code account_locked}, {@code invalid_credentials} or {@code account_disabled}
     */
    Passed check(String loginId, String password, Origin origin) {
        record Found(UserProfile user, Credentials.Snapshot cred) {
        }
        Found found = db.call(tx -> orgs.users().findByLogin(tx, loginId)
                .map(u -> new Found(u, credentials.snapshot(tx, u.id()))).orElse(null));
        if (found == null) {
            throw unknownLogin(loginId, password, origin);
        }
        UserProfile user = found.user();
        if (found.cred().lockedAt(clock.instant())) {
            fail(user, loginId, Map.of("reason", "locked"), origin);
            counts.count("locked");
            throw new KairanException(ErrorCode.ACCOUNT_LOCKED, "account " + user.id() + " is locked");
        }
        if (!credentials.hasher().verify(password.toCharArray(), found.cred().passwordHash())) {
            boolean lockedNow = db.call(tx -> {
                boolean locked = credentials.recordFailure(tx, user.id(), config.lockoutThreshold(), config.lockoutDuration());
                audit.record(tx, SignInText.event(user, loginId, AuditAction.LOGIN_FAILED, Map.of("reason", "password")), origin);
                if (locked) {
                    audit.record(tx, SignInText.event(user, loginId, AuditAction.ACCOUNT_LOCKED, Map.of()), origin);
                }
                return locked;
            });
            counts.count(lockedNow ? "locked" : "failure");
            throw new KairanException(ErrorCode.INVALID_CREDENTIALS, "wrong password for user " + user.id());
        }
        if (user.status() != UserStatus.ACTIVE) {
            fail(user, loginId, Map.of("reason", "suspended"), origin);
            counts.count("disabled");
            throw new KairanException(ErrorCode.ACCOUNT_DISABLED, "user " + user.id() + " is suspended");
        }
        String rehash = credentials.hasher().needsRehash(found.cred().passwordHash())
                ? credentials.hasher().hash(password.toCharArray()) : null;
        return new Passed(user, found.cred(), rehash);
    }

    private KairanException unknownLogin(String loginId, String password, Origin origin) {
        if (throttle.unknownLocked(loginId)) {
            fail(null, loginId, Map.of("reason", "locked"), origin);
            counts.count("locked");
            return new KairanException(ErrorCode.ACCOUNT_LOCKED, "unknown login ID is locked");
        }
        credentials.hasher().verifyDummy(password.toCharArray());
        throttle.unknownFailed(loginId);
        fail(null, loginId, Map.of("reason", "unknown_id"), origin);
        counts.count("failure");
        return new KairanException(ErrorCode.INVALID_CREDENTIALS, "unknown login ID");
    }

    private void fail(UserProfile user, String loginId, Map<String, ?> detail, Origin origin) {
        db.call(tx -> {
            audit.record(tx, SignInText.event(user, loginId, AuditAction.LOGIN_FAILED, detail), origin);
            return null;
        });
    }
}
