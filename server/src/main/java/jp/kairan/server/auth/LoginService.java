package jp.kairan.server.auth;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.protocol.api.TotpEnrolment;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.mail.MailSender;
import jp.kairan.server.org.Factor;
import jp.kairan.server.org.Fields;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in: password, then a second factor, with a forced password change and TOTP enrolment on first use, then the
 * device. The state between steps is a login ticket (random, stored hashed, valid {@link #TICKET_TTL}); see
 * {@code protocol/HTTP-API.md} for the order of steps, which {@link SignInSteps} decides. Failed passwords and
 * one-time passwords count towards the account lock; unknown login IDs behave exactly like known ones. Every outcome
 * is an audit event.
 *
 * <p>Each step runs in phases on the calling worker thread: the expensive checks first (Argon2id, the DPoP proof's
 * signature), then one transaction on a {@code kairan-db-n} thread that only reads and writes rows and records the
 * outcome ({@link SignInOutcome}), then, after the commit, the access token is signed or the refusal thrown.
 * Thread-safe; methods block (call from worker threads).
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
    private final Credentials credentials;
    private final Secrets secrets;
    private final LoginThrottle throttle;
    private final AuditService audit;
    private final MailSender mail;
    private final PasswordPolicy policy;
    private final Path setupPasswordFile;
    private final DeviceService devices;
    private final LoginTicketRepository tickets = new LoginTicketRepository();
    private final LoginCounts counts;
    private final PasswordCheck passwords;
    private final DeviceBinding binding;
    private final SignInFlow flow;

    LoginService(Database db, Clock clock, AuthConfig config, OrgService orgs, Credentials credentials, Secrets secrets,
                 LoginThrottle throttle, RefreshTokens refreshTokens, TokenService tokens, AuditService audit,
                 MailSender mail, boolean mailEnabled, MeterRegistry metrics, Path setupPasswordFile,
                 DeviceService devices, DpopVerifier dpop) {
        this.db = db;
        this.clock = clock;
        this.config = config;
        this.credentials = credentials;
        this.secrets = secrets;
        this.throttle = throttle;
        this.audit = audit;
        this.mail = mail;
        this.policy = new PasswordPolicy(config.passwordMinLength());
        this.setupPasswordFile = setupPasswordFile;
        this.devices = devices;
        this.counts = new LoginCounts(metrics);
        this.passwords = new PasswordCheck(db, clock, config, orgs, credentials, throttle, audit, counts);
        this.binding = new DeviceBinding(clock, config.devicePendingTtl(), devices, dpop, tickets);
        this.flow = new SignInFlow(db, clock, orgs, credentials, refreshTokens, tokens, audit, devices, mailEnabled, tickets,
                binding, counts);
    }

    /**
     * A step's answer: the step for the client and, when signed in, the refresh token for the cookie.
     *
     * @param step    what the client does next
     * @param refresh the new refresh token when {@code step.next()} is {@code done}, else null
     */
    public record Result(LoginStep step, RefreshTokens.Issued refresh) {
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
        PasswordCheck.Passed passed = passwords.check(loginId, password, origin);
        UserProfile user = passed.user();
        DeviceBinding.Presented presented = binding.check(proof);
        return flow.conclude(db.call(tx -> {
            if (passed.rehash() != null) {
                credentials.setPassword(tx, user.id(), passed.rehash(), passed.cred().mustChangePassword());
            }
            String ticket = secrets.token();
            Instant now = clock.instant();
            LoginTicket t = tickets.insert(tx, Secrets.sha256(ticket), user.id(), now, now.plus(TICKET_TTL));
            audit.record(tx, SignInText.event(user, loginId, AuditAction.LOGIN_PASSWORD_OK, Map.of()), origin);
            return flow.advance(flow.context(tx, ticket, t, user), presented, origin);
        }));
    }

    /** Step: a one-time password by TOTP or from the mail. */
    public Result otp(String ticket, String method, String typedCode, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        String code = SignInText.normalizeCode(typedCode);
        Factor factor = Factor.parse(method).orElseThrow(() -> KairanException.invalidField("method", "totp or email"));
        DeviceBinding.Presented presented = binding.check(proof);
        return flow.conclude(flow.onTicket(ticket, SignInStep.OTP, ctx -> {
            if (!SignInSteps.usable(ctx.factors(), ctx.user(), ctx.cred()).contains(factor)) {
                throw new KairanException(ErrorCode.FACTOR_NOT_ALLOWED, factor + " is not usable for this user");
            }
            boolean ok = factor == Factor.TOTP ? credentials.consumeTotp(ctx.tx(), ctx.cred(), code)
                    : SignInText.emailCodeMatches(ctx.ticket(), code, clock.instant());
            if (!ok) {
                return otpFailure(ctx, factor, origin);
            }
            return flow.advance(ctx.with(tickets.markOtpDone(ctx.tx(), ctx.ticket().id()), ctx.cred()), presented, origin);
        }));
    }

    private SignInOutcome otpFailure(SignInFlow.Ctx ctx, Factor factor, Origin origin) {
        int attempts = tickets.countAttempt(ctx.tx(), ctx.ticket().id());
        boolean locked = credentials.recordFailure(ctx.tx(), ctx.user().id(), config.lockoutThreshold(), config.lockoutDuration());
        audit.record(ctx.tx(), event(ctx.user(), AuditAction.OTP_FAILED, Map.of("method", factor.wireName())), origin);
        if (locked) {
            audit.record(ctx.tx(), event(ctx.user(), AuditAction.ACCOUNT_LOCKED, Map.of()), origin);
            tickets.delete(ctx.tx(), ctx.ticket().id());
        } else if (attempts >= MAX_TICKET_ATTEMPTS) {
            tickets.delete(ctx.tx(), ctx.ticket().id());
        }
        counts.count("otp_failure");
        return new SignInOutcome.Refused(new KairanException(ErrorCode.OTP_INVALID, "wrong one-time password"));
    }

    /** Mails a six-digit code to the user's registered address. */
    public void mailOtp(String ticket, Origin origin) {
        throttle.attempt(origin.ip());
        SignInText.Mail m = flow.onTicket(ticket, SignInStep.OTP, ctx -> {
            if (!SignInSteps.usable(ctx.factors(), ctx.user(), ctx.cred()).contains(Factor.EMAIL)) {
                throw new KairanException(ErrorCode.FACTOR_NOT_ALLOWED, "e-mail codes are not usable for this user");
            }
            Instant now = clock.instant();
            LoginTicket t = ctx.ticket();
            if (t.emailSentAt() != null && t.emailSentAt().plus(EMAIL_RESEND_INTERVAL).isAfter(now)) {
                throw new KairanException(ErrorCode.RATE_LIMITED, "a code was mailed less than 30 s ago");
            }
            String code = secrets.sixDigits();
            tickets.mailedCode(ctx.tx(), t.id(), SignInText.emailCodeHash(t, code), now.plus(EMAIL_CODE_TTL), now);
            audit.record(ctx.tx(), event(ctx.user(), AuditAction.OTP_MAILED,
                    Map.of("domain", SignInText.domainOf(ctx.user().email()))), origin);
            return new SignInText.Mail(ctx.user().email(), code);
        });
        mail.send(m.to(), OtpMailTemplate.SUBJECT, OtpMailTemplate.body(m.code(), EMAIL_CODE_TTL))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.warn("sign-in code mail to domain {} failed: {} requestId={}", SignInText.domainOf(m.to()),
                                error.getClass().getSimpleName(), origin.requestId());
                    }
                });
    }

    /** Step: the forced password change. */
    public Result changePassword(String ticket, String newPassword, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        record Check(String loginId, String oldHash) {
        }
        Check check = flow.onTicket(ticket, SignInStep.PASSWORD_CHANGE, ctx -> new Check(ctx.user().loginId(), ctx.cred().passwordHash()));
        policy.check(check.loginId(), newPassword);
        if (credentials.hasher().verify(newPassword.toCharArray(), check.oldHash())) {
            throw PasswordPolicy.sameAsCurrent();
        }
        String hash = credentials.hasher().hash(newPassword.toCharArray());
        DeviceBinding.Presented presented = binding.check(proof);
        return flow.conclude(flow.onTicket(ticket, SignInStep.PASSWORD_CHANGE, ctx -> {
            credentials.setPassword(ctx.tx(), ctx.user().id(), hash, false);
            audit.record(ctx.tx(), event(ctx.user(), AuditAction.PASSWORD_CHANGED, Map.of("forced", true)), origin);
            if (ctx.user().principal().isOperator()) {
                deleteSetupPasswordFile();
            }
            return flow.advance(ctx.with(ctx.ticket(), credentials.snapshot(ctx.tx(), ctx.user().id())), presented, origin);
        }));
    }

    /** Step: start TOTP enrolment (a new secret each call). */
    public TotpEnrolment beginTotp(String ticket, Origin origin) {
        throttle.attempt(origin.ip());
        record Started(String loginId, byte[] secret) {
        }
        Started started = flow.onTicket(ticket, SignInStep.TOTP_ENROL, ctx -> {
            byte[] secret = Totp.newSecret(secrets.random());
            tickets.setPendingTotp(ctx.tx(), ctx.ticket().id(), secret);
            return new Started(ctx.user().loginId(), secret);
        });
        return enrolment(started.loginId(), started.secret());
    }

    /** Step: confirm TOTP enrolment with a first code. */
    public Result confirmTotp(String ticket, String typedCode, Origin origin, ProofRequest proof) {
        throttle.attempt(origin.ip());
        String code = SignInText.normalizeCode(typedCode);
        DeviceBinding.Presented presented = binding.check(proof);
        return flow.conclude(flow.onTicket(ticket, SignInStep.TOTP_ENROL, ctx -> {
            LoginTicket t = ctx.ticket();
            if (t.pendingTotp() == null) {
                throw KairanException.conflict("TOTP enrolment was not started");
            }
            var step = credentials.totp().verify(t.pendingTotp(), code, clock.instant(), 0);
            if (step.isEmpty()) {
                if (tickets.countAttempt(ctx.tx(), t.id()) >= MAX_TICKET_ATTEMPTS) {
                    tickets.delete(ctx.tx(), t.id());
                }
                return new SignInOutcome.Refused(new KairanException(ErrorCode.OTP_INVALID, "wrong one-time password"));
            }
            credentials.setTotp(ctx.tx(), ctx.user().id(), t.pendingTotp(), step.getAsLong());
            LoginTicket enrolled = tickets.totpEnrolled(ctx.tx(), t.id());
            audit.record(ctx.tx(), event(ctx.user(), AuditAction.TOTP_ENROLLED, Map.of()), origin);
            return flow.advance(ctx.with(enrolled, credentials.snapshot(ctx.tx(), ctx.user().id())), presented, origin);
        }));
    }

    TotpEnrolment enrolment(String loginId, byte[] secret) {
        String uri = credentials.totp().otpauthUri(config.issuer(), loginId, secret);
        return new TotpEnrolment(Base32.encode(secret), uri, QrCodes.svg(uri));
    }

    /**
     * Step {@code device_register}: registers the key that signed the proof, which must be {@code publicKey}.
     * Pending unless approved at once (operator, bootstrap owner). The user is mailed after the commit.
     */
    public Result registerDevice(String ticket, String name, Map<String, Object> publicKey, String userAgent, Origin origin,
                                 ProofRequest proof) {
        throttle.attempt(origin.ip());
        com.nimbusds.jose.jwk.ECKey key = binding.provenKey(publicKey, proof);
        String jkt = DpopVerifier.thumbprint(key);
        record Registration(SignInOutcome outcome, UserProfile user, jp.kairan.protocol.api.Device registered) {
        }
        Registration r = flow.onTicket(ticket, SignInStep.DEVICE_REGISTER, ctx -> {
            Optional<DeviceState> existing = devices.findByJkt(ctx.tx(), jkt);
            if (existing.isPresent()) {
                return new Registration(flow.decide(ctx, existing, origin, true), null, null);
            }
            DeviceService.Registered reg = devices.register(ctx.tx(), ctx.user(), name, jkt, key.toJSONString(), userAgent, origin);
            return new Registration(flow.decide(ctx, Optional.of(reg.state()), origin, true), ctx.user(), reg.view());
        });
        if (r.registered() != null) {
            devices.notifyRegistered(r.user(), r.registered());
        }
        return flow.conclude(r.outcome());
    }

    /**
     * Step {@code device_pending}: asked again and again by the waiting browser, with a proof by the pending key.
     * Done once an approver approved the device; {@code device_rejected} or {@code device_revoked} when it is over.
     */
    public Result waitForDevice(String ticket, Origin origin, ProofRequest proof) {
        DpopVerifier.Proof p = binding.verify(proof, "waiting needs a proof by the pending device");
        return flow.conclude(flow.onTicket(ticket, SignInStep.DEVICE_PENDING, ctx -> {
            DeviceState device = devices.find(ctx.tx(), ctx.ticket().deviceId())
                    .orElseThrow(() -> new KairanException(ErrorCode.LOGIN_EXPIRED, "the device is gone"));
            if (!device.jkt().equals(p.jkt())) {
                throw new DpopVerifier.Rejected(DpopVerifier.Rule.KEY, "the proof is not by the waiting device");
            }
            return flow.decide(ctx, Optional.of(device), origin, false);
        }));
    }

    private void deleteSetupPasswordFile() {
        try {
            java.nio.file.Files.deleteIfExists(setupPasswordFile);
        } catch (java.io.IOException e) {
            log.warn("cannot delete {}: {}", setupPasswordFile, e.getMessage());
        }
    }

    private static AuditEvent event(UserProfile user, AuditAction action, Map<String, ?> detail) {
        return SignInText.event(user, user.loginId(), action, detail);
    }
}
