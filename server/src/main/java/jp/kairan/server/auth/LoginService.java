package jp.kairan.server.auth;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.protocol.api.Session;
import jp.kairan.protocol.api.TotpEnrolment;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.device.DeviceStatus;
import jp.kairan.server.mail.MailSender;
import jp.kairan.server.org.Factor;
import jp.kairan.server.org.Fields;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in: password, then a second factor, with a forced password change and TOTP enrolment on first use.
 * The state between steps is a login ticket (random, stored hashed, valid {@link #TICKET_TTL}); see
 * {@code protocol/HTTP-API.md} for the order of steps. Argon2id runs outside database transactions.
 * Failed passwords and one-time passwords count towards the account lock; unknown login IDs behave exactly
 * like known ones. Every outcome is an audit event. Thread-safe; methods block (call from worker threads).
 */
public final class LoginService {
    private static final Logger log = LoggerFactory.getLogger(LoginService.class);
    static final Duration TICKET_TTL = Duration.ofMinutes(10);
    static final Duration EMAIL_CODE_TTL = Duration.ofMinutes(5);
    static final Duration EMAIL_RESEND_INTERVAL = Duration.ofSeconds(30);
    static final int MAX_TICKET_ATTEMPTS = 5;

    private final Database db;
    private final Clock clock;
    private final AuthConfig config;
    private final OrgService orgs;
    private final Credentials credentials;
    private final Secrets secrets;
    private final LoginThrottle throttle;
    private final RefreshTokens refreshTokens;
    private final TokenService tokens;
    private final AuditService audit;
    private final MailSender mail;
    private final boolean mailEnabled;
    private final PasswordPolicy policy;
    private final MeterRegistry metrics;
    private final java.nio.file.Path setupPasswordFile;
    private final DeviceService devices;
    private final DpopVerifier dpop;

    LoginService(Database db, Clock clock, AuthConfig config, OrgService orgs, Credentials credentials, Secrets secrets,
                 LoginThrottle throttle, RefreshTokens refreshTokens, TokenService tokens, AuditService audit,
                 MailSender mail, boolean mailEnabled, MeterRegistry metrics, java.nio.file.Path setupPasswordFile,
                 DeviceService devices, DpopVerifier dpop) {
        this.devices = devices;
        this.dpop = dpop;
        this.setupPasswordFile = setupPasswordFile;
        this.db = db;
        this.clock = clock;
        this.config = config;
        this.orgs = orgs;
        this.credentials = credentials;
        this.secrets = secrets;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
        this.audit = audit;
        this.mail = mail;
        this.mailEnabled = mailEnabled;
        this.policy = new PasswordPolicy(config.passwordMinLength());
        this.metrics = metrics;
    }

    /**
     * A step's answer: the step for the client and, when signed in, the refresh token for the cookie.
     *
     * @param step    what the client does next
     * @param refresh the new refresh token when {@code step.next()} is {@code done}, else null
     * @param failure thrown once the step's transaction committed, or null
     */
    public record Result(LoginStep step, RefreshTokens.Issued refresh, KairanException failure) {
        Result(LoginStep step, RefreshTokens.Issued refresh) {
            this(step, refresh, null);
        }

        /** A step that fails after its transaction committed (counters and audit events stay). */
        static Result failing(KairanException failure) {
            return new Result(null, null, failure);
        }

        /** The cookie value, or null. */
        public String refreshToken() {
            return refresh == null ? null : refresh.token();
        }

        /** When the refresh cookie expires, or null. */
        public Instant refreshExpiresAt() {
            return refresh == null ? null : refresh.expiresAt();
        }
    }

    /** Step 1: login ID and password. */
    public Result login(String rawLoginId, String password, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        String loginId = Fields.normalizeLoginId(rawLoginId);
        if (loginId.isEmpty() || password == null || password.isEmpty() || password.length() > PasswordPolicy.MAX_CHARS) {
            throw new KairanException(ErrorCode.INVALID_CREDENTIALS, "empty or oversized credentials");
        }
        record Found(UserProfile user, Credentials.Snapshot cred) {
        }
        Found found = db.call(tx -> orgs.users().findByLogin(tx, loginId)
                .map(u -> new Found(u, credentials.snapshot(tx, u.id()))).orElse(null));
        if (found == null) {
            return unknownLogin(loginId, password, origin);
        }
        UserProfile user = found.user();
        if (found.cred().lockedAt(clock.instant())) {
            fail(user, loginId, AuditAction.LOGIN_FAILED, Map.of("reason", "locked"), origin);
            count("locked");
            throw new KairanException(ErrorCode.ACCOUNT_LOCKED, "account " + user.id() + " is locked");
        }
        if (!credentials.hasher().verify(password.toCharArray(), found.cred().passwordHash())) {
            boolean lockedNow = db.call(tx -> {
                boolean locked = credentials.recordFailure(tx, user.id(), config.lockoutThreshold(), config.lockoutDuration());
                audit.record(tx, event(user, loginId, AuditAction.LOGIN_FAILED, Map.of("reason", "password")), origin);
                if (locked) {
                    audit.record(tx, event(user, loginId, AuditAction.ACCOUNT_LOCKED, Map.of()), origin);
                }
                return locked;
            });
            count(lockedNow ? "locked" : "failure");
            throw new KairanException(ErrorCode.INVALID_CREDENTIALS, "wrong password for user " + user.id());
        }
        if (user.status() != UserStatus.ACTIVE) {
            fail(user, loginId, AuditAction.LOGIN_FAILED, Map.of("reason", "suspended"), origin);
            count("disabled");
            throw new KairanException(ErrorCode.ACCOUNT_DISABLED, "user " + user.id() + " is suspended");
        }
        String rehash = credentials.hasher().needsRehash(found.cred().passwordHash())
                ? credentials.hasher().hash(password.toCharArray()) : null;
        return db.call(tx -> {
            if (rehash != null) {
                credentials.setPassword(tx, user.id(), rehash, found.cred().mustChangePassword());
            }
            String ticket = secrets.token();
            LoginTicketEntity t = new LoginTicketEntity();
            t.id = Ids.next();
            t.ticketHash = Secrets.sha256(ticket);
            t.userId = user.id();
            t.createdAt = clock.instant();
            t.expiresAt = t.createdAt.plus(TICKET_TTL);
            tx.session().persist(t);
            audit.record(tx, event(user, loginId, AuditAction.LOGIN_PASSWORD_OK, Map.of()), origin);
            return next(tx, t, ticket, user, credentials.snapshot(tx, user.id()), origin, proof);
        });
    }

    private Result unknownLogin(String loginId, String password, Origin origin) {
        if (throttle.unknownLocked(loginId)) {
            fail(null, loginId, AuditAction.LOGIN_FAILED, Map.of("reason", "locked"), origin);
            count("locked");
            throw new KairanException(ErrorCode.ACCOUNT_LOCKED, "unknown login ID is locked");
        }
        credentials.hasher().verifyDummy(password.toCharArray());
        throttle.unknownFailed(loginId);
        fail(null, loginId, AuditAction.LOGIN_FAILED, Map.of("reason", "unknown_id"), origin);
        count("failure");
        throw new KairanException(ErrorCode.INVALID_CREDENTIALS, "unknown login ID");
    }

    /** Step: a one-time password by TOTP or from the mail. */
    public Result otp(String ticket, String method, String typedCode, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        String code = normalizeCode(typedCode);
        Factor factor = Factor.parse(method).orElseThrow(() -> KairanException.invalidField("method", "totp or email"));
        return withTicket(ticket, LoginStep.OTP, (ctx) -> {
            Set<Factor> usable = usable(ctx.tx(), ctx.user(), ctx.cred());
            if (!usable.contains(factor)) {
                throw new KairanException(ErrorCode.FACTOR_NOT_ALLOWED, factor + " is not usable for this user");
            }
            boolean ok = factor == Factor.TOTP ? credentials.consumeTotp(ctx.tx(), ctx.cred(), code) : emailCodeMatches(ctx.ticket(), code);
            if (!ok) {
                return otpFailure(ctx, factor, origin);
            }
            ctx.ticket().otpDone = true;
            ctx.ticket().emailCodeHash = null;
            return next(ctx.tx(), ctx.ticket(), ticket, ctx.user(), ctx.cred(), origin, proof);
        });
    }

    private Result otpFailure(TicketContext ctx, Factor factor, Origin origin) {
        ctx.ticket().attempts++;
        boolean locked = credentials.recordFailure(ctx.tx(), ctx.user().id(), config.lockoutThreshold(), config.lockoutDuration());
        audit.record(ctx.tx(), event(ctx.user(), ctx.user().loginId(), AuditAction.OTP_FAILED, Map.of("method", factor.wireName())), origin);
        if (locked) {
            audit.record(ctx.tx(), event(ctx.user(), ctx.user().loginId(), AuditAction.ACCOUNT_LOCKED, Map.of()), origin);
            ctx.tx().session().remove(ctx.ticket());
        } else if (ctx.ticket().attempts >= MAX_TICKET_ATTEMPTS) {
            ctx.tx().session().remove(ctx.ticket());
        }
        count("otp_failure");
        return Result.failing(new KairanException(ErrorCode.OTP_INVALID, "wrong one-time password"));
    }

    private boolean emailCodeMatches(LoginTicketEntity t, String code) {
        if (t.emailCodeHash == null || t.emailCodeExpires == null || !t.emailCodeExpires.isAfter(clock.instant())
                || code == null || !code.matches("[0-9]{6}")) {
            return false;
        }
        return Secrets.sameHash(t.emailCodeHash, Secrets.sha256(t.ticketHash + ":" + code));
    }

    /** Mails a six-digit code to the user's registered address. */
    public void mailOtp(String ticket, Origin origin) {
        throttle.attempt(origin.ip());
        record Mail(String to, String code) {
            @Override
            public String toString() {
                return "Mail[<masked>]";
            }
        }
        Mail m = withTicketValue(ticket, LoginStep.OTP, ctx -> {
            if (!usable(ctx.tx(), ctx.user(), ctx.cred()).contains(Factor.EMAIL)) {
                throw new KairanException(ErrorCode.FACTOR_NOT_ALLOWED, "e-mail codes are not usable for this user");
            }
            Instant now = clock.instant();
            LoginTicketEntity t = ctx.ticket();
            if (t.emailSentAt != null && t.emailSentAt.plus(EMAIL_RESEND_INTERVAL).isAfter(now)) {
                throw new KairanException(ErrorCode.RATE_LIMITED, "a code was mailed less than 30 s ago");
            }
            String code = secrets.sixDigits();
            t.emailCodeHash = Secrets.sha256(t.ticketHash + ":" + code);
            t.emailCodeExpires = now.plus(EMAIL_CODE_TTL);
            t.emailSentAt = now;
            audit.record(ctx.tx(), event(ctx.user(), ctx.user().loginId(), AuditAction.OTP_MAILED,
                    Map.of("domain", domainOf(ctx.user().email()))), origin);
            return new Mail(ctx.user().email(), code);
        });
        mail.send(m.to(), OtpMailTemplate.SUBJECT, OtpMailTemplate.body(m.code(), EMAIL_CODE_TTL))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.warn("sign-in code mail to domain {} failed: {} requestId={}", domainOf(m.to()),
                                error.getClass().getSimpleName(), origin.requestId());
                    }
                });
    }

    /** Step: the forced password change. */
    public Result changePassword(String ticket, String newPassword, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        record Check(long userId, String loginId, String oldHash) {
        }
        Check check = withTicketValue(ticket, LoginStep.PASSWORD_CHANGE,
                ctx -> new Check(ctx.user().id(), ctx.user().loginId(), ctx.cred().passwordHash()));
        policy.check(check.loginId(), newPassword);
        if (credentials.hasher().verify(newPassword.toCharArray(), check.oldHash())) {
            throw new KairanException(ErrorCode.PASSWORD_POLICY, "new password equals the old one", "newPassword");
        }
        String hash = credentials.hasher().hash(newPassword.toCharArray());
        return withTicket(ticket, LoginStep.PASSWORD_CHANGE, ctx -> {
            credentials.setPassword(ctx.tx(), ctx.user().id(), hash, false);
            audit.record(ctx.tx(), event(ctx.user(), ctx.user().loginId(), AuditAction.PASSWORD_CHANGED,
                    Map.of("forced", true)), origin);
            if (ctx.user().principal().isOperator()) {
                deleteSetupPasswordFile();
            }
            return next(ctx.tx(), ctx.ticket(), ticket, ctx.user(), credentials.snapshot(ctx.tx(), ctx.user().id()), origin, proof);
        });
    }

    /** Step: start TOTP enrolment (a new secret each call). */
    public TotpEnrolment beginTotp(String ticket, Origin origin) {
        throttle.attempt(origin.ip());
        return withTicketValue(ticket, LoginStep.TOTP_ENROL, ctx -> {
            byte[] secret = Totp.newSecret(secrets.random());
            ctx.ticket().pendingTotp = secret;
            return enrolment(ctx.user().loginId(), secret);
        });
    }

    /** Step: confirm TOTP enrolment with a first code. */
    public Result confirmTotp(String ticket, String typedCode, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        String code = normalizeCode(typedCode);
        return withTicket(ticket, LoginStep.TOTP_ENROL, ctx -> {
            LoginTicketEntity t = ctx.ticket();
            if (t.pendingTotp == null) {
                throw KairanException.conflict("TOTP enrolment was not started");
            }
            var step = credentials.totp().verify(t.pendingTotp, code, clock.instant(), 0);
            if (step.isEmpty()) {
                t.attempts++;
                if (t.attempts >= MAX_TICKET_ATTEMPTS) {
                    ctx.tx().session().remove(t);
                }
                return Result.failing(new KairanException(ErrorCode.OTP_INVALID, "wrong one-time password"));
            }
            credentials.setTotp(ctx.tx(), ctx.user().id(), t.pendingTotp, step.getAsLong());
            t.pendingTotp = null;
            t.otpDone = true;
            audit.record(ctx.tx(), event(ctx.user(), ctx.user().loginId(), AuditAction.TOTP_ENROLLED, Map.of()), origin);
            return next(ctx.tx(), t, ticket, ctx.user(), credentials.snapshot(ctx.tx(), ctx.user().id()), origin, proof);
        });
    }

    private void deleteSetupPasswordFile() {
        try {
            java.nio.file.Files.deleteIfExists(setupPasswordFile);
        } catch (java.io.IOException e) {
            log.warn("cannot delete {}: {}", setupPasswordFile, e.getMessage());
        }
    }

    TotpEnrolment enrolment(String loginId, byte[] secret) {
        String uri = credentials.totp().otpauthUri(config.issuer(), loginId, secret);
        return new TotpEnrolment(Base32.encode(secret), uri, QrCodes.svg(uri));
    }

    private record TicketContext(Tx tx, LoginTicketEntity ticket, UserProfile user, Credentials.Snapshot cred) {
    }

    /**
     * Runs a step on a valid ticket whose current step is {@code expectedStep}. A result with a failure (a wrong
     * code, a revoked device) still commits (counters, audit), then the failure is thrown.
     */
    private Result withTicket(String ticket, String expectedStep, Function<TicketContext, Result> step) {
        Result r = withTicketValue(ticket, expectedStep, step);
        if (r.failure() != null) {
            throw r.failure();
        }
        return r;
    }

    private <T> T withTicketValue(String ticket, String expectedStep, Function<TicketContext, T> step) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 100) {
            throw new KairanException(ErrorCode.LOGIN_EXPIRED, "no ticket");
        }
        String hash = Secrets.sha256(ticket);
        return db.call(tx -> {
            LoginTicketEntity t = tx.session().createSelectionQuery("from LoginTicketEntity t where t.ticketHash = :h",
                    LoginTicketEntity.class).setParameter("h", hash).uniqueResultOptional().orElse(null);
            if (t == null || !t.expiresAt.isAfter(clock.instant())) {
                throw new KairanException(ErrorCode.LOGIN_EXPIRED, "unknown or expired ticket");
            }
            UserProfile user = orgs.users().findById(tx, t.userId).orElseThrow(
                    () -> new KairanException(ErrorCode.LOGIN_EXPIRED, "user of ticket is gone"));
            Credentials.Snapshot cred = credentials.snapshot(tx, user.id());
            if (cred.lockedAt(clock.instant())) {
                throw new KairanException(ErrorCode.ACCOUNT_LOCKED, "account " + user.id() + " is locked");
            }
            if (user.status() != UserStatus.ACTIVE) {
                throw new KairanException(ErrorCode.ACCOUNT_DISABLED, "user " + user.id() + " is suspended");
            }
            String current = currentStep(tx, t, user, cred);
            if (!current.equals(expectedStep)) {
                throw KairanException.conflict("the current sign-in step is " + current + ", not " + expectedStep);
            }
            return step.apply(new TicketContext(tx, t, user, cred));
        });
    }

    private Set<Factor> usable(Tx tx, UserProfile user, Credentials.Snapshot cred) {
        Set<Factor> allowed = orgs.allowedFactors(tx, user.orgId());
        Set<Factor> usable = java.util.EnumSet.noneOf(Factor.class);
        if (allowed.contains(Factor.TOTP) && cred.totpSecret() != null) {
            usable.add(Factor.TOTP);
        }
        if (allowed.contains(Factor.EMAIL) && mailEnabled && user.email() != null) {
            usable.add(Factor.EMAIL);
        }
        return usable;
    }

    private String currentStep(Tx tx, LoginTicketEntity t, UserProfile user, Credentials.Snapshot cred) {
        if (!t.otpDone && !usable(tx, user, cred).isEmpty()) {
            return LoginStep.OTP;
        }
        if (cred.mustChangePassword()) {
            return LoginStep.PASSWORD_CHANGE;
        }
        if (!t.otpDone) {
            if (!orgs.allowedFactors(tx, user.orgId()).contains(Factor.TOTP)) {
                throw new KairanException(ErrorCode.FACTOR_NOT_ALLOWED,
                        "no usable second factor: the org allows only e-mail and the user has no address (or mail is off)");
            }
            return LoginStep.TOTP_ENROL;
        }
        return LoginStep.DONE;
    }

    private Result next(Tx tx, LoginTicketEntity t, String ticket, UserProfile user, Credentials.Snapshot cred, Origin origin,
                        ProofRequest proof) {
        String step = currentStep(tx, t, user, cred);
        if (!step.equals(LoginStep.DONE)) {
            List<String> methods = new ArrayList<>();
            String hint = null;
            if (step.equals(LoginStep.OTP)) {
                Set<Factor> usable = usable(tx, user, cred);
                usable.forEach(f -> methods.add(f.wireName()));
                hint = usable.contains(Factor.EMAIL) ? maskEmail(user.email()) : null;
            }
            return new Result(new LoginStep(ticket, step, methods, hint, t.expiresAt, null, null), null);
        }
        // Signed in: now the device. A proof by a known key settles it; else the browser registers its key.
        if (proof == null || proof.proof() == null) {
            return deviceRegisterStep(t, ticket);
        }
        DpopVerifier.Proof p = dpop.verify(proof.proof(), proof.method(), proof.url(), null, null);
        Optional<DeviceState> device = devices.findByJkt(tx, p.jkt());
        if (device.isEmpty()) {
            return deviceRegisterStep(t, ticket);
        }
        return withDevice(tx, t, ticket, user, device.get(), origin, true);
    }

    private static Result deviceRegisterStep(LoginTicketEntity t, String ticket) {
        return new Result(new LoginStep(ticket, LoginStep.DEVICE_REGISTER, List.of(), null, t.expiresAt, null, null), null);
    }

    /** The sign-in continues on a known device: done when approved, waiting when pending, refused otherwise. */
    private Result withDevice(Tx tx, LoginTicketEntity t, String ticket, UserProfile user, DeviceState device, Origin origin,
                              boolean startWaiting) {
        if (device.userId() != user.id()) {
            return Result.failing(new KairanException(ErrorCode.DEVICE_KEY_IN_USE, "key of device " + device.id() + " is another user's"));
        }
        if (device.status() == DeviceStatus.APPROVED) {
            return finish(tx, t, user, device, origin);
        }
        if (device.status() == DeviceStatus.PENDING) {
            if (startWaiting) {
                t.deviceId = device.id();
                t.expiresAt = clock.instant().plus(config.devicePendingTtl());
            }
            return new Result(new LoginStep(ticket, LoginStep.DEVICE_PENDING, List.of(), null, t.expiresAt, null,
                    devices.view(tx, device.id(), device.id())), null);
        }
        devices.refused(tx, device, "sign-in", origin);
        if (device.status() == DeviceStatus.REJECTED) {
            tx.session().remove(t);
            return Result.failing(new KairanException(ErrorCode.DEVICE_REJECTED, "device " + device.id() + " was rejected"));
        }
        return Result.failing(new KairanException(ErrorCode.DEVICE_REVOKED, "device " + device.id() + " is revoked"));
    }

    /** Signed in on an approved device: the session starts, its tokens bound to the device's key. */
    private Result finish(Tx tx, LoginTicketEntity t, UserProfile user, DeviceState device, Origin origin) {
        tx.session().remove(t);
        credentials.recordLogin(tx, user.id());
        RefreshTokens.Issued refresh = refreshTokens.start(tx, user.id(), device.id());
        audit.record(tx, event(user, user.loginId(), AuditAction.LOGIN_SUCCEEDED, Map.of("session", Long.toString(refresh.familyId()),
                "device", Long.toString(device.id()))), origin);
        count("success");
        devices.seen(device.id(), origin.ip());
        Session session = new Session(tokens.issue(user.id(), refresh.familyId(), device.jkt(), device.id()), "DPoP",
                config.accessTokenTtl().toSeconds(), MeViews.me(tx, orgs, credentials, user));
        return new Result(new LoginStep(null, LoginStep.DONE, List.of(), null, null, session, null), refresh);
    }

    /**
     * Step {@code device_register}: registers the key that signed the proof, which must be {@code publicKey}.
     * Pending unless approved at once (operator, bootstrap owner). The user is mailed after the commit.
     */
    public Result registerDevice(String ticket, String name, Map<String, Object> publicKey, String userAgent, Origin origin,
                                 ProofRequest proof) {
        throttle.attempt(origin.ip());
        com.nimbusds.jose.jwk.ECKey key;
        try {
            if (publicKey == null) {
                throw KairanException.invalidField("publicKey", "required");
            }
            key = DpopVerifier.publicKey(com.nimbusds.jose.jwk.JWK.parse(publicKey));
        } catch (java.text.ParseException | DpopVerifier.Rejected e) {
            throw KairanException.invalidField("publicKey", "an EC P-256 public key as a JWK (kty, crv, x, y)");
        }
        String jkt = DpopVerifier.thumbprint(key);
        if (proof == null || proof.proof() == null) {
            throw new KairanException(ErrorCode.DPOP_INVALID, "registration needs a proof by the key");
        }
        DpopVerifier.Proof p = dpop.verify(proof.proof(), proof.method(), proof.url(), null, null);
        if (!p.jkt().equals(jkt)) {
            throw new KairanException(ErrorCode.DPOP_INVALID, "the proof is not signed by publicKey");
        }
        record Outcome(Result result, UserProfile user, jp.kairan.protocol.api.Device registered) {
        }
        Outcome outcome = withTicketValue(ticket, LoginStep.DONE, ctx -> {
            if (ctx.ticket().deviceId != null) {
                throw KairanException.conflict("a device is already registered in this sign-in");
            }
            Optional<DeviceState> existing = devices.findByJkt(ctx.tx(), jkt);
            if (existing.isPresent()) {
                return new Outcome(withDevice(ctx.tx(), ctx.ticket(), ticket, ctx.user(), existing.get(), origin, true), null, null);
            }
            DeviceService.Registered reg = devices.register(ctx.tx(), ctx.user(), name, jkt, key.toJSONString(), userAgent, origin);
            return new Outcome(withDevice(ctx.tx(), ctx.ticket(), ticket, ctx.user(), reg.state(), origin, true), ctx.user(), reg.view());
        });
        if (outcome.registered() != null) {
            devices.notifyRegistered(outcome.user(), outcome.registered());
        }
        if (outcome.result().failure() != null) {
            throw outcome.result().failure();
        }
        return outcome.result();
    }

    /**
     * Step {@code device_pending}: asked again and again by the waiting browser, with a proof by the pending key.
     * Done once an approver approved the device; {@code device_rejected} or {@code device_revoked} when it is over.
     */
    public Result waitForDevice(String ticket, Origin origin, ProofRequest proof) {
        if (proof == null || proof.proof() == null) {
            throw new KairanException(ErrorCode.DPOP_INVALID, "waiting needs a proof by the pending device");
        }
        DpopVerifier.Proof p = dpop.verify(proof.proof(), proof.method(), proof.url(), null, null);
        return withTicket(ticket, LoginStep.DONE, ctx -> {
            Long deviceId = ctx.ticket().deviceId;
            if (deviceId == null) {
                throw KairanException.conflict("no device waits in this sign-in");
            }
            DeviceState device = devices.find(ctx.tx(), deviceId)
                    .orElseThrow(() -> new KairanException(ErrorCode.LOGIN_EXPIRED, "the device is gone"));
            if (!device.jkt().equals(p.jkt())) {
                throw new KairanException(ErrorCode.DPOP_INVALID, "the proof is not by the waiting device");
            }
            return withDevice(ctx.tx(), ctx.ticket(), ticket, ctx.user(), device, origin, false);
        });
    }

    private void fail(UserProfile user, String loginId, AuditAction action, Map<String, ?> detail, Origin origin) {
        db.call(tx -> {
            audit.record(tx, event(user, loginId, action, detail), origin);
            return null;
        });
    }

    private static AuditEvent event(UserProfile user, String loginId, AuditAction action, Map<String, ?> detail) {
        return new AuditEvent(user == null ? null : user.orgId(), user == null ? null : user.id(), loginId, action,
                user == null ? null : "user", user == null ? null : Long.toString(user.id()), detail);
    }

    private void count(String outcome) {
        if (metrics != null) {
            metrics.counter("kairan.logins", "outcome", outcome).increment();
        }
    }

    /**
     * A one-time password as typed, made comparable: NFKC (full-width digits typed with a Japanese IME become
     * ASCII) without spaces or hyphens ("123 456"). Null stays null.
     */
    static String normalizeCode(String typed) {
        if (typed == null || typed.length() > 32) {
            return typed;
        }
        return java.text.Normalizer.normalize(typed, java.text.Normalizer.Form.NFKC).replaceAll("[\\s-]", "");
    }

    /** {@code yamada@city.example.jp} → {@code y****@city.example.jp}. */
    static String maskEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "*".repeat(Math.max(3, at - 1)) + email.substring(at);
    }

    private static String domainOf(String email) {
        int at = email == null ? -1 : email.indexOf('@');
        return at < 0 ? "?" : email.substring(at + 1);
    }
}
