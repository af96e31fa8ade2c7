package jp.kairan.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.protocol.api.Session;
import jp.kairan.server.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.org.Principal;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;
import jp.kairan.server.store.Database;

/**
 * Signed-in sessions: authenticating access tokens into a {@link Principal}, refreshing, signing out.
 *
 * <p>Every request re-reads the user's roles and status through a short-lived cache, so a suspension or a
 * role change takes effect within {@link #CACHE_TTL} on every node, and at once on the node that made it
 * ({@link #invalidateUser}). Signing out revokes the session's refresh family; its access tokens stop working
 * at once on this node and within {@link #CACHE_TTL} elsewhere. Thread-safe; methods block.
 */
public final class Sessions {
    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final Database db;
    private final AuthConfig config;
    private final OrgService orgs;
    private final Credentials credentials;
    private final RefreshTokens refreshTokens;
    private final TokenService tokens;
    private final AuditService audit;
    private final Cache<Long, Optional<UserProfile>> users;
    private final Cache<Long, Boolean> liveSessions;
    private volatile java.util.function.LongConsumer userChanged = userId -> { };

    Sessions(Database db, AuthConfig config, OrgService orgs, Credentials credentials, RefreshTokens refreshTokens,
             TokenService tokens, AuditService audit) {
        this.db = db;
        this.config = config;
        this.orgs = orgs;
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
        this.audit = audit;
        this.users = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(50_000).build();
        this.liveSessions = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();
    }

    /** The principal of a bearer access token; throws {@code unauthenticated}, {@code token_expired} or {@code account_disabled}. */
    public Principal authenticate(String accessToken) {
        TokenService.AccessClaims claims = tokens.verify(accessToken);
        boolean live = liveSessions.get(claims.sessionId(), id -> db.call(tx -> refreshTokens.familyActive(tx, id)));
        if (!live) {
            throw new KairanException(ErrorCode.UNAUTHENTICATED, "session " + claims.sessionId() + " has ended");
        }
        UserProfile user = users.get(claims.userId(), id -> db.call(tx -> orgs.users().findById(tx, id)))
                .orElseThrow(() -> new KairanException(ErrorCode.UNAUTHENTICATED, "user " + claims.userId() + " is gone"));
        if (user.status() != UserStatus.ACTIVE) {
            throw new KairanException(ErrorCode.ACCOUNT_DISABLED, "user " + user.id() + " is suspended");
        }
        return user.principal();
    }

    /**
     * A connection's identity: the user, the session (refresh family) and when the token expires.
     *
     * @param user      the user as of now
     * @param sessionId the sign-in session
     * @param expiresAt when the access token expires
     */
    public record Authenticated(UserProfile user, long sessionId, java.time.Instant expiresAt) {
    }

    /** As {@link #authenticate}, for long-lived connections that must know the session and the token's expiry. */
    public Authenticated authenticateConnection(String accessToken) {
        TokenService.AccessClaims claims = tokens.verify(accessToken);
        UserProfile user = current(claims.userId(), claims.sessionId()).orElseThrow(
                () -> new KairanException(ErrorCode.UNAUTHENTICATED, "session " + claims.sessionId() + " has ended"));
        if (user.status() != UserStatus.ACTIVE) {
            throw new KairanException(ErrorCode.ACCOUNT_DISABLED, "user " + user.id() + " is suspended");
        }
        return new Authenticated(user, claims.sessionId(), claims.expiresAt());
    }

    /**
     * The user of a session if the session is still live (suspended users included, so callers can tell);
     * empty when the session ended or the user is gone. Blocks on a cache miss.
     */
    public Optional<UserProfile> current(long userId, long sessionId) {
        boolean live = liveSessions.get(sessionId, id -> db.call(tx -> refreshTokens.familyActive(tx, id)));
        if (!live) {
            return Optional.empty();
        }
        return users.get(userId, id -> db.call(tx -> orgs.users().findById(tx, id)));
    }

    /**
     * Registers who is told, after the fact, that a user's roles, status or sessions changed (the gateway
     * re-checks that user's connections). One listener; set once at start-up.
     */
    public void onUserChanged(java.util.function.LongConsumer listener) {
        this.userChanged = listener;
    }

    /** Spends a refresh token for a new session view and token; {@code refresh_invalid} when it cannot. */
    public LoginService.Result refresh(String refreshToken, Origin origin) {
        record Outcome(LoginService.Result result, boolean reused, long endedFamily) {
        }
        Outcome outcome = db.call(tx -> {
            RefreshTokens.Rotation r = refreshTokens.rotate(tx, refreshToken);
            if (r instanceof RefreshTokens.Rotated rotated) {
                UserProfile user = orgs.users().findById(tx, rotated.next().userId()).orElseThrow();
                if (user.status() != UserStatus.ACTIVE) {
                    refreshTokens.revokeFamily(tx, rotated.next().familyId());
                    return new Outcome(null, false, rotated.next().familyId());
                }
                Session s = new Session(tokens.issue(user.id(), rotated.next().familyId(), null), "Bearer",
                        config.accessTokenTtl().toSeconds(), MeViews.me(tx, orgs, credentials, user));
                return new Outcome(new LoginService.Result(new LoginStep(null, LoginStep.DONE, List.of(), null, null, s),
                        rotated.next()), false, 0);
            }
            if (r instanceof RefreshTokens.Reused reused) {
                UserProfile user = orgs.users().findById(tx, reused.userId()).orElse(null);
                audit.record(tx, new AuditEvent(user == null ? null : user.orgId(), reused.userId(),
                        user == null ? null : user.loginId(), AuditAction.REFRESH_REUSED, "session",
                        Long.toString(reused.familyId()), Map.of()), origin);
                return new Outcome(null, true, reused.familyId());
            }
            return new Outcome(null, false, 0);
        });
        // After the commit: a request between invalidation and commit would otherwise cache "alive" again.
        if (outcome.endedFamily() != 0) {
            liveSessions.invalidate(outcome.endedFamily());
        }
        if (outcome.result() == null) {
            throw new KairanException(ErrorCode.REFRESH_INVALID, outcome.reused() ? "refresh token reused" : "refresh token invalid");
        }
        return outcome.result();
    }

    /** Ends the session of a refresh token; unknown tokens are ignored (sign-out always succeeds). */
    public void logout(String refreshToken, Origin origin) {
        Optional<RefreshTokens.Issued> ended = db.call(tx -> {
            Optional<RefreshTokens.Issued> found = refreshTokens.find(tx, refreshToken);
            found.ifPresent(issued -> {
                refreshTokens.revokeFamily(tx, issued.familyId());
                UserProfile user = orgs.users().findById(tx, issued.userId()).orElse(null);
                audit.record(tx, new AuditEvent(user == null ? null : user.orgId(), issued.userId(),
                        user == null ? null : user.loginId(), AuditAction.LOGOUT, "session",
                        Long.toString(issued.familyId()), Map.of()), origin);
            });
            return found;
        });
        ended.ifPresent(issued -> {
            liveSessions.invalidate(issued.familyId());
            userChanged.accept(issued.userId());
        });
    }

    /** Drops cached facts about a user after a change to roles, status or credentials. */
    public void invalidateUser(long userId) {
        users.invalidate(userId);
        userChanged.accept(userId);
    }

    /** Drops cached liveness of sessions just revoked, after their transaction committed. */
    void forgetSessions(java.util.Collection<Long> families) {
        liveSessions.invalidateAll(families);
    }
}
