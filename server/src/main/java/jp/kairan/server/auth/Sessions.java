package jp.kairan.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.protocol.api.Me;
import jp.kairan.protocol.api.Session;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.device.DeviceRevocation;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.device.DeviceStatus;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.access.Principal;
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
    private final DeviceService devices;
    private final DpopVerifier dpop;
    private volatile java.util.function.LongConsumer userChanged = userId -> { };

    Sessions(Database db, AuthConfig config, OrgService orgs, Credentials credentials, RefreshTokens refreshTokens,
             TokenService tokens, AuditService audit, DeviceService devices, DpopVerifier dpop) {
        this.devices = devices;
        this.dpop = dpop;
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

    /**
     * A request's identity: the user, the session (refresh family), the device and when the token expires.
     *
     * @param user      the user as of now
     * @param sessionId the sign-in session
     * @param expiresAt when the access token expires
     * @param deviceId  the device the token is bound to
     */
    public record Authenticated(UserProfile user, long sessionId, java.time.Instant expiresAt, long deviceId) {
    }

    /**
     * Checks an access token and its DPoP proof: the token's signature and expiry, the device (revoked devices get
     * {@code device_revoked}, before the proof, so a revoked browser learns it must wipe), the proof (by the key the
     * token is bound to, for this request), the session and the user.
     *
     * @throws KairanException {@code unauthenticated}, {@code token_expired}, {@code dpop_invalid},
     *                         {@code device_revoked} or {@code account_disabled}
     */
    public Authenticated authenticate(String accessToken, ProofRequest proof) {
        TokenService.AccessClaims claims = tokens.verify(accessToken);
        DeviceState device = devices.state(claims.deviceId())
                .orElseThrow(() -> new KairanException(ErrorCode.UNAUTHENTICATED, "device " + claims.deviceId() + " is gone"));
        if (device.status().terminal()) {
            throw new KairanException(ErrorCode.DEVICE_REVOKED, "device " + device.id() + " is " + device.status().wireName());
        }
        if (device.status() != DeviceStatus.APPROVED || !device.jkt().equals(claims.confirmationJkt())
                || device.userId() != claims.userId()) {
            throw new KairanException(ErrorCode.UNAUTHENTICATED, "token does not match device " + device.id());
        }
        DpopVerifier.Proof p = verifyProof(proof, accessToken, device);
        if (!p.jkt().equals(claims.confirmationJkt())) {
            throw new DpopVerifier.Rejected(DpopVerifier.Rule.KEY, "proof signed by another key than the token's");
        }
        UserProfile user = current(claims.userId(), claims.sessionId()).orElseThrow(
                () -> new KairanException(ErrorCode.UNAUTHENTICATED, "session " + claims.sessionId() + " has ended"));
        if (user.status() != UserStatus.ACTIVE) {
            throw new KairanException(ErrorCode.ACCOUNT_DISABLED, "user " + user.id() + " is suspended");
        }
        devices.seen(device.id(), proof.ip());
        return new Authenticated(user, claims.sessionId(), claims.expiresAt(), device.id());
    }

    /** Verifies a proof; a replay is an audit event (a copied request is an attack worth knowing of). */
    DpopVerifier.Proof verifyProof(ProofRequest proof, String accessToken, DeviceState device) {
        try {
            return dpop.verify(proof.proof(), proof.method(), proof.url(), accessToken, proof.nonce());
        } catch (DpopVerifier.Rejected e) {
            if (e.replay()) {
                db.call(tx -> {
                    audit.record(tx, new AuditEvent(device == null ? null : device.orgId(), device == null ? null : device.userId(),
                            null, AuditAction.DPOP_REPLAYED, "device", device == null ? null : Long.toString(device.id()),
                            Map.of("url", proof.url())), new Origin(proof.ip(), null));
                    return null;
                });
            }
            throw e;
        }
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

    /**
     * Spends a refresh token, proven by its device's key, for a new access token and the next refresh token.
     * {@code refresh_invalid} when the token is unknown, spent or ended (a spent token presented again ends the
     * whole family); {@code dpop_invalid} when the proof is missing or by another key (nothing changes);
     * {@code device_revoked} when the device was revoked.
     */
    public LoginService.Result refresh(String refreshToken, ProofRequest proof, Origin origin) {
        DpopVerifier.Proof p = proof.proof() == null ? null : dpop.verify(proof.proof(), proof.method(), proof.url(), null, null);
        record Renewed(RefreshTokens.Issued next, Me me) {
        }
        record Outcome(Renewed rotated, ErrorCode error, String why, long endedFamily) {
        }
        Outcome outcome = db.call(tx -> {
            Optional<RefreshTokens.Issued> presented = refreshTokens.find(tx, refreshToken);
            if (presented.isPresent()) {
                Long deviceId = presented.get().deviceId();
                Optional<DeviceState> device = deviceId == null ? Optional.empty() : devices.find(tx, deviceId);
                if (device.isEmpty()) {
                    return new Outcome(null, ErrorCode.REFRESH_INVALID, "refresh token without a device", 0);
                }
                if (device.get().status().terminal()) {
                    devices.refused(tx, device.get(), "refresh", origin);
                    return new Outcome(null, ErrorCode.DEVICE_REVOKED, "device " + deviceId + " is revoked", 0);
                }
                if (p == null || !p.jkt().equals(device.get().jkt())) {
                    return new Outcome(null, ErrorCode.DPOP_INVALID, p == null ? "no proof" : "proof by another key", 0);
                }
            }
            RefreshTokens.Rotation r = refreshTokens.rotate(tx, refreshToken);
            if (r instanceof RefreshTokens.Rotated rotated) {
                RefreshTokens.Issued next = rotated.next();
                UserProfile user = orgs.users().findById(tx, next.userId()).orElseThrow();
                if (user.status() != UserStatus.ACTIVE) {
                    refreshTokens.revokeFamily(tx, next.familyId());
                    return new Outcome(null, ErrorCode.REFRESH_INVALID, "user suspended", next.familyId());
                }
                return new Outcome(new Renewed(next, MeViews.me(tx, orgs, credentials, user)), null, null, 0);
            }
            if (r instanceof RefreshTokens.Reused reused) {
                UserProfile user = orgs.users().findById(tx, reused.userId()).orElse(null);
                audit.record(tx, new AuditEvent(user == null ? null : user.orgId(), reused.userId(),
                        user == null ? null : user.loginId(), AuditAction.REFRESH_REUSED, "session",
                        Long.toString(reused.familyId()), Map.of()), origin);
                return new Outcome(null, ErrorCode.REFRESH_INVALID, "refresh token reused", reused.familyId());
            }
            return new Outcome(null, ErrorCode.REFRESH_INVALID, "refresh token invalid", 0);
        });
        // After the commit: a request between invalidation and commit would otherwise cache "alive" again.
        if (outcome.endedFamily() != 0) {
            liveSessions.invalidate(outcome.endedFamily());
        }
        if (outcome.rotated() == null) {
            throw outcome.error() == ErrorCode.DPOP_INVALID
                    ? new DpopVerifier.Rejected(p == null ? DpopVerifier.Rule.MISSING : DpopVerifier.Rule.KEY, outcome.why())
                    : new KairanException(outcome.error(), outcome.why());
        }
        // Also after the commit: the access token is signed outside the transaction.
        RefreshTokens.Issued next = outcome.rotated().next();
        Session s = tokens.session(next.userId(), next.familyId(), p.jkt(), next.deviceId(), outcome.rotated().me());
        devices.seen(next.deviceId(), origin.ip());
        return new LoginService.Result(new LoginStep(null, LoginStep.DONE, List.of(), null, null, s, null), next);
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

    /** A device was revoked (after the commit): its sessions end at once on this node, and its connections close. */
    void deviceRevoked(DeviceRevocation revocation) {
        liveSessions.invalidateAll(revocation.sessions());
    }

    /** Drops cached liveness of sessions just revoked, after their transaction committed. */
    void forgetSessions(java.util.Collection<Long> families) {
        liveSessions.invalidateAll(families);
    }
}
