package jp.kairan.server.auth;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.protocol.api.Session;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.org.Factor;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;

/**
 * What every sign-in step shares: the transaction on a ticket ({@link #onTicket}), the move to the next step once a
 * step did its work ({@link #advance}, {@link #decide}: {@link SignInSteps} decides, this class acts), the start of
 * the session, and the phase after the commit ({@link #conclude}: sign the access token, or throw the refusal the
 * transaction recorded). The transactions run on {@code kairan-db-n} threads and only read and write rows; the
 * caller's thread does the rest. Thread-safe.
 */
final class SignInFlow {
    private final Database db;
    private final Clock clock;
    private final OrgService orgs;
    private final Credentials credentials;
    private final RefreshTokens refreshTokens;
    private final TokenService tokens;
    private final AuditService audit;
    private final DeviceService devices;
    private final boolean mailEnabled;
    private final LoginTicketRepository tickets;
    private final DeviceBinding binding;
    private final LoginCounts counts;

    SignInFlow(Database db, Clock clock, OrgService orgs, Credentials credentials, RefreshTokens refreshTokens,
               TokenService tokens, AuditService audit, DeviceService devices, boolean mailEnabled,
               LoginTicketRepository tickets, DeviceBinding binding, LoginCounts counts) {
        this.db = db;
        this.clock = clock;
        this.orgs = orgs;
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
        this.audit = audit;
        this.devices = devices;
        this.mailEnabled = mailEnabled;
        this.tickets = tickets;
        this.binding = binding;
        this.counts = counts;
    }

    /** A step's transaction: the ticket (as the client holds it, and its row) and what the steps are decided from. */
    record Ctx(Tx tx, String ticketText, LoginTicket ticket, UserProfile user, Credentials.Snapshot cred,
               SignInSteps.Factors factors) {
        /** The same step after it changed the ticket or the credentials. */
        Ctx with(LoginTicket t, Credentials.Snapshot c) {
            return new Ctx(tx, ticketText, t, user, c, factors);
        }
    }

    /** The context of a ticket just made in {@code tx}. */
    Ctx context(Tx tx, String ticketText, LoginTicket ticket, UserProfile user) {
        return new Ctx(tx, ticketText, ticket, user, credentials.snapshot(tx, user.id()), factors(tx, user));
    }

    /**
     * Runs {@code step} in one transaction on a valid ticket that stands at {@code expected}; otherwise throws
     * ({@code login_expired}, {@code account_locked}, {@code account_disabled}, {@code factor_not_allowed} or a
     * conflict) and nothing is written.
     */
    <T> T onTicket(String ticket, SignInStep expected, Function<Ctx, T> step) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 100) {
            throw new KairanException(ErrorCode.LOGIN_EXPIRED, "no ticket");
        }
        String hash = Secrets.sha256(ticket);
        return db.call(tx -> {
            LoginTicket t = tickets.find(tx, hash).orElseThrow(
                    () -> new KairanException(ErrorCode.LOGIN_EXPIRED, "unknown or expired ticket"));
            UserProfile user = orgs.users().findById(tx, t.userId()).orElseThrow(
                    () -> new KairanException(ErrorCode.LOGIN_EXPIRED, "user of ticket is gone"));
            Ctx ctx = new Ctx(tx, ticket, t, user, credentials.snapshot(tx, user.id()), factors(tx, user));
            SignInStep current = SignInSteps.current(t, user, ctx.cred(), ctx.factors(), clock.instant());
            if (current.refused()) {
                throw SignInText.refusal(current, user);
            }
            if (current != expected) {
                throw KairanException.conflict(SignInText.notAt(current, expected));
            }
            return step.apply(ctx);
        });
    }

    private SignInSteps.Factors factors(Tx tx, UserProfile user) {
        return new SignInSteps.Factors(orgs.allowedFactors(tx, user.orgId()), mailEnabled);
    }

    /**
     * After a step's work, in its transaction: the next step. The proof (checked before the transaction) is used
     * only once the credential steps are done: its key may name a known device.
     */
    SignInOutcome advance(Ctx ctx, DeviceBinding.Presented presented, Origin origin) {
        SignInStep step = SignInSteps.next(ctx.ticket(), ctx.user(), ctx.cred(), ctx.factors(), Optional.empty());
        if (step != SignInStep.DEVICE_REGISTER) {
            return decide(ctx, Optional.empty(), origin, true);
        }
        return decide(ctx, binding.known(ctx.tx(), presented), origin, true);
    }

    /**
     * Acts on {@link SignInSteps#next} for {@code device}: a step for the client, the session, or a refusal
     * ({@code factor_not_allowed} is thrown at once: nothing of the step is kept).
     *
     * @param startWaiting whether a pending device starts the wait (else the ticket already waits for it)
     */
    SignInOutcome decide(Ctx ctx, Optional<DeviceState> device, Origin origin, boolean startWaiting) {
        LoginTicket t = ctx.ticket();
        SignInStep step = SignInSteps.next(t, ctx.user(), ctx.cred(), ctx.factors(), device);
        switch (step) {
            case OTP: {
                Set<Factor> usable = SignInSteps.usable(ctx.factors(), ctx.user(), ctx.cred());
                List<String> methods = new ArrayList<>();
                usable.forEach(f -> methods.add(f.wireName()));
                String hint = usable.contains(Factor.EMAIL) ? SignInText.maskEmail(ctx.user().email()) : null;
                return new SignInOutcome.Next(new LoginStep(ctx.ticketText(), step.wire, methods, hint, t.expiresAt(), null, null));
            }
            case PASSWORD_CHANGE, TOTP_ENROL, DEVICE_REGISTER:
                return new SignInOutcome.Next(new LoginStep(ctx.ticketText(), step.wire, List.of(), null, t.expiresAt(), null, null));
            case NO_SECOND_FACTOR:
                throw SignInText.refusal(step, ctx.user());
            case DONE:
                return start(ctx, device.orElseThrow(), origin);
            default:
                return binding.settle(ctx.tx(), step, t, ctx.ticketText(), device.orElseThrow(), origin, startWaiting);
        }
    }

    /** Signed in on an approved device: the session starts; its access token is signed after the commit. */
    private SignInOutcome start(Ctx ctx, DeviceState device, Origin origin) {
        UserProfile user = ctx.user();
        tickets.delete(ctx.tx(), ctx.ticket().id());
        credentials.recordLogin(ctx.tx(), user.id());
        RefreshTokens.Issued refresh = refreshTokens.start(ctx.tx(), user.id(), device.id());
        audit.record(ctx.tx(), SignInText.event(user, user.loginId(), AuditAction.LOGIN_SUCCEEDED,
                Map.of("session", Long.toString(refresh.familyId()), "device", Long.toString(device.id()))), origin);
        return new SignInOutcome.SignedIn(user.id(), device, refresh, MeViews.me(ctx.tx(), orgs, credentials, user), origin.ip());
    }

    /**
     * After the commit, on the caller's thread: throws a recorded refusal, or answers with the step — signing the
     * access token (ES256) when signed in.
     */
    LoginService.Result conclude(SignInOutcome outcome) {
        if (outcome instanceof SignInOutcome.Refused refused) {
            throw refused.error();
        }
        if (outcome instanceof SignInOutcome.SignedIn in) {
            counts.count("success");
            devices.seen(in.device().id(), in.ip());
            Session session = tokens.session(in.userId(), in.refresh().familyId(), in.device().jkt(), in.device().id(), in.me());
            return new LoginService.Result(new LoginStep(null, LoginStep.DONE, List.of(), null, null, session, null), in.refresh());
        }
        return new LoginService.Result(((SignInOutcome.Next) outcome).step(), null);
    }
}
