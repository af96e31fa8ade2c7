package jp.kairan.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.CreateOrgRequest;
import jp.kairan.protocol.api.CreateOrgResponse;
import jp.kairan.protocol.api.CreateUserRequest;
import jp.kairan.protocol.api.CreateUserResponse;
import jp.kairan.protocol.api.InitialPassword;
import jp.kairan.protocol.api.Me;
import jp.kairan.protocol.api.TotpEnrolment;
import jp.kairan.protocol.api.UpdateUserRequest;
import jp.kairan.protocol.api.User;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.access.Principal;
import jp.kairan.server.access.Role;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.Users;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts: the use cases that touch both a user's profile (org) and their credentials (auth) — creating
 * organizations with their owner, users with an initial password, resets, unlocks, the operator's first start,
 * and the signed-in user's own password and authenticator. Initial passwords are random, shown once, and must
 * be changed at the next sign-in. Thread-safe; methods block.
 */
public final class AccountService {
    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    /** File in the data directory that holds the operator's one-time setup password until it is changed. */
    public static final String SETUP_PASSWORD_FILE = "initial-operator-password.txt";
    private static final Duration ENROLMENT_TTL = Duration.ofMinutes(10);

    private final Database db;
    private final OrgService orgs;
    private final Credentials credentials;
    private final Secrets secrets;
    private final RefreshTokens refreshTokens;
    private final Sessions sessions;
    private final LoginService login;
    private final AuditService audit;
    private final PasswordPolicy policy;
    private final Cache<Long, byte[]> pendingTotp = Caffeine.newBuilder().expireAfterWrite(ENROLMENT_TTL).maximumSize(10_000).build();

    private final java.time.Clock clock;

    AccountService(java.time.Clock clock, Database db, OrgService orgs, Credentials credentials, Secrets secrets, RefreshTokens refreshTokens,
                   Sessions sessions, LoginService login, AuditService audit, int passwordMinLength) {
        this.clock = clock;
        this.db = db;
        this.orgs = orgs;
        this.credentials = credentials;
        this.secrets = secrets;
        this.refreshTokens = refreshTokens;
        this.sessions = sessions;
        this.login = login;
        this.audit = audit;
        this.policy = new PasswordPolicy(passwordMinLength);
    }

    /**
     * On first start, creates the operator account with a one-time setup password, writes it to
     * {@value #SETUP_PASSWORD_FILE} in the data directory (owner-only permissions) and returns it. Returns empty
     * when the operator exists.
     */
    public Optional<String> bootstrapOperator(Path dataDir) {
        if (db.call(tx -> orgs.users().findByLogin(tx, Users.OPERATOR_LOGIN_ID)).isPresent()) {
            return Optional.empty();
        }
        String password = secrets.initialPassword();
        String hash = credentials.hasher().hash(password.toCharArray());
        db.call(tx -> {
            UserProfile op = orgs.users().createOperator(tx);
            credentials.create(tx, op.id(), hash);
            return null;
        });
        writeSetupFile(dataDir.resolve(SETUP_PASSWORD_FILE), password);
        return Optional.of(password);
    }

    private static void writeSetupFile(Path file, String password) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.getMessage());
        }
    }

    /** Creates an organization and its first owner (operator only). */
    public CreateOrgResponse createOrg(Principal actor, CreateOrgRequest req, Origin origin) {
        String password = secrets.initialPassword();
        String hash = credentials.hasher().hash(password.toCharArray());
        return db.call(tx -> {
            OrgService.OrgWithOwner created = orgs.createOrg(tx, actor, req, origin);
            credentials.create(tx, created.owner().id(), hash);
            return new CreateOrgResponse(created.org(), view(tx, actor, created.owner()), password);
        });
    }

    /** Creates a user with an initial password (owner or admin). */
    public CreateUserResponse createUser(Principal actor, long orgId, CreateUserRequest req, Origin origin) {
        actor.requireAdminOf(orgId);
        String password = secrets.initialPassword();
        String hash = credentials.hasher().hash(password.toCharArray());
        return db.call(tx -> {
            UserProfile u = orgs.users().create(tx, actor, orgId, req, origin);
            credentials.create(tx, u.id(), hash);
            return new CreateUserResponse(view(tx, actor, u), password);
        });
    }

    public List<User> listUsers(Principal actor, long orgId, String query, Long departmentId) {
        return db.call(tx -> {
            List<UserProfile> list = orgs.users().list(tx, actor, orgId, query, departmentId);
            Map<Long, Credentials.Status> status = credentials.status(tx, list.stream().map(UserProfile::id).toList());
            return list.stream().map(u -> view(actor, u, status.get(u.id()))).toList();
        });
    }

    public User getUser(Principal actor, long orgId, long userId) {
        return db.call(tx -> view(tx, actor, orgs.users().get(tx, actor, orgId, userId)));
    }

    /** Changes a user; suspending one also ends their sessions. */
    public User updateUser(Principal actor, long orgId, long userId, UpdateUserRequest req, Origin origin) {
        record Updated(User user, List<Long> endedSessions) {
        }
        Updated out = refusalsAudited(actor, orgId, userId, "update", origin, tx -> {
            UserProfile u = orgs.users().update(tx, actor, orgId, userId, req, origin);
            List<Long> ended = u.status() != jp.kairan.server.org.UserStatus.ACTIVE ? refreshTokens.revokeUser(tx, userId) : List.of();
            return new Updated(view(tx, actor, u), ended);
        });
        sessions.invalidateUser(userId);
        sessions.forgetSessions(out.endedSessions());
        return out.user();
    }

    /** Issues a new initial password (owner or admin), optionally removing the authenticator; ends all sessions. */
    public InitialPassword resetPassword(Principal actor, long orgId, long userId, boolean resetTotp, Origin origin) {
        refusalsAudited(actor, orgId, userId, resetTotp ? "reset-password-totp" : "reset-password", origin,
                tx -> orgs.users().manageable(tx, actor, orgId, userId));
        String password = secrets.initialPassword();
        String hash = credentials.hasher().hash(password.toCharArray());
        List<Long> ended = refusalsAudited(actor, orgId, userId, resetTotp ? "reset-password-totp" : "reset-password", origin,
                tx -> reset(tx, actor, orgs.users().manageable(tx, actor, orgId, userId), hash, resetTotp, origin));
        sessions.forgetSessions(ended);
        return new InitialPassword(password);
    }

    /** Unlocks a locked account (owner or admin). */
    public void unlock(Principal actor, long orgId, long userId, Origin origin) {
        refusalsAudited(actor, orgId, userId, "unlock", origin, tx -> {
            UserProfile u = orgs.users().manageable(tx, actor, orgId, userId);
            credentials.unlock(tx, u.id());
            audit.record(tx, new AuditEvent(orgId, actorId(actor), actor.loginId(), AuditAction.ACCOUNT_UNLOCKED, "user",
                    Long.toString(userId), Map.of()), origin);
            return null;
        });
    }

    /**
     * Runs {@code work} in a transaction; a {@code forbidden} refusal (an admin acting on an owner, admin or auditor;
     * a member acting on anyone) is recorded as {@code org.user.action-denied} in a transaction of its own.
     */
    private <T> T refusalsAudited(Principal actor, long orgId, long userId, String what, Origin origin,
                                  java.util.function.Function<Tx, T> work) {
        try {
            return db.call(work);
        } catch (KairanException e) {
            if (e.code() == ErrorCode.FORBIDDEN && actor.inOrg(orgId)) {
                try {
                    db.call(tx -> {
                        audit.record(tx, new AuditEvent(orgId, actorId(actor), actor.loginId(), AuditAction.USER_ACTION_DENIED,
                                "user", Long.toString(userId), Map.of("action", what, "why", e.getMessage())), origin);
                        return null;
                    });
                } catch (RuntimeException auditFailure) {
                    log.warn("could not record a refused {} on user {}", what, userId, auditFailure);
                }
            }
            throw e;
        }
    }

    /** Command line: new initial password for any login ID (the operator's included). */
    public String resetPasswordByLogin(String loginId, boolean resetTotp) {
        String password = secrets.initialPassword();
        String hash = credentials.hasher().hash(password.toCharArray());
        db.call(tx -> {
            UserProfile u = orgs.users().findByLogin(tx, loginId).orElseThrow(() -> KairanException.notFound("user"));
            reset(tx, commandLine(), u, hash, resetTotp, Origin.COMMAND_LINE);
            return null;
        });
        return password;
    }

    /** Command line: unlock any login ID. */
    public void unlockByLogin(String loginId) {
        db.call(tx -> {
            UserProfile u = orgs.users().findByLogin(tx, loginId).orElseThrow(() -> KairanException.notFound("user"));
            credentials.unlock(tx, u.id());
            audit.record(tx, new AuditEvent(u.orgId(), null, "(command line)", AuditAction.ACCOUNT_UNLOCKED, "user",
                    Long.toString(u.id()), Map.of()), Origin.COMMAND_LINE);
            return null;
        });
    }

    /** Resets the credentials and ends the user's sessions; returns the sessions ended. */
    private List<Long> reset(Tx tx, Principal actor, UserProfile u, String hash, boolean resetTotp, Origin origin) {
        credentials.setPassword(tx, u.id(), hash, true);
        credentials.unlock(tx, u.id());
        if (resetTotp) {
            credentials.setTotp(tx, u.id(), null, 0);
        }
        List<Long> ended = refreshTokens.revokeUser(tx, u.id());
        audit.record(tx, new AuditEvent(u.orgId(), actorId(actor), actor.loginId(), AuditAction.PASSWORD_RESET, "user",
                Long.toString(u.id()), Map.of("resetTotp", resetTotp)), origin);
        return ended;
    }

    /** The signed-in user. */
    public Me me(Principal actor) {
        return db.call(tx -> MeViews.me(tx, orgs, credentials, orgs.users().findById(tx, actor.userId()).orElseThrow()));
    }

    /** Changes one's own password, given the current one. Other sessions stay signed in. */
    public void changeOwnPassword(Principal actor, String current, String next, Origin origin) {
        verifyCurrentPassword(actor, current);
        policy.check(actor.loginId(), next);
        if (next.equals(current)) {
            throw PasswordPolicy.sameAsCurrent();
        }
        String hash = credentials.hasher().hash(next.toCharArray());
        db.call(tx -> {
            credentials.setPassword(tx, actor.userId(), hash, false);
            audit.record(tx, new AuditEvent(actor.orgId(), actor.userId(), actor.loginId(), AuditAction.PASSWORD_CHANGED,
                    "user", Long.toString(actor.userId()), Map.of("forced", false)), origin);
            return null;
        });
    }

    /**
     * Starts (re-)enrolling an authenticator for the signed-in user, after checking the current password (a stolen
     * access token alone must not replace the second factor). The old authenticator works until confirmed.
     */
    public TotpEnrolment beginTotp(Principal actor, String currentPassword) {
        verifyCurrentPassword(actor, currentPassword);
        byte[] secret = Totp.newSecret(secrets.random());
        pendingTotp.put(actor.userId(), secret);
        return login.enrolment(actor.loginId(), secret);
    }

    /** Confirms the pending authenticator with a code; {@code otp_invalid} when wrong. */
    public void confirmTotp(Principal actor, String code, Origin origin) {
        byte[] secret = pendingTotp.getIfPresent(actor.userId());
        if (secret == null) {
            throw KairanException.conflict("TOTP enrolment was not started or has expired");
        }
        var step = credentials.totp().verify(secret, SignInText.normalizeCode(code), clock.instant(), 0);
        if (step.isEmpty()) {
            throw new KairanException(ErrorCode.OTP_INVALID, "wrong enrolment code");
        }
        db.call(tx -> {
            credentials.setTotp(tx, actor.userId(), secret, step.getAsLong());
            audit.record(tx, new AuditEvent(actor.orgId(), actor.userId(), actor.loginId(), AuditAction.TOTP_ENROLLED,
                    "user", Long.toString(actor.userId()), Map.of()), origin);
            return null;
        });
        pendingTotp.invalidate(actor.userId());
    }

    private void verifyCurrentPassword(Principal actor, String current) {
        String hash = db.call(tx -> credentials.snapshot(tx, actor.userId()).passwordHash());
        if (current == null || current.isEmpty() || current.length() > PasswordPolicy.MAX_CHARS
                || !credentials.hasher().verify(current.toCharArray(), hash)) {
            throw new KairanException(ErrorCode.INVALID_CREDENTIALS, "current password wrong", "currentPassword");
        }
    }

    private User view(Tx tx, Principal actor, UserProfile u) {
        return view(actor, u, credentials.status(tx, List.of(u.id())).get(u.id()));
    }

    private static User view(Principal actor, UserProfile u, Credentials.Status s) {
        boolean admin = actor.isOperator() || (u.orgId() != null && actor.adminOf(u.orgId()));
        return new User(Long.toString(u.id()), u.orgId() == null ? null : Long.toString(u.orgId()), u.loginId(),
                u.displayName(), u.departmentId() == null ? null : Long.toString(u.departmentId()),
                admin ? u.email() : null, u.status().wireName(), u.roles().stream().sorted().map(Role::wireName).toList(),
                s != null && s.locked(), s != null && s.totpEnrolled(), u.createdAt(), s == null ? null : s.lastLoginAt());
    }

    private static Long actorId(Principal actor) {
        return actor.userId() == 0 ? null : actor.userId();
    }

    /** The principal of commands typed on the server's command line: acts as the operator. */
    public static Principal commandLine() {
        return new Principal(0, "(command line)", null, null, java.util.Set.of(Role.OPERATOR));
    }
}
