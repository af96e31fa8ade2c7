package jp.kairan.server.auth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.store.Tx;

/**
 * The device part of a sign-in. A step request may carry a DPoP proof: it is {@link #check checked} (ECDSA) on
 * the request's thread before the step's transaction, and used in it only once the credential steps are done —
 * a known key then settles the device ({@link #known}), else the browser registers one. {@link #settle} applies
 * what {@link SignInSteps#next} decided about a known device: waiting for approval, or a refusal. Thread-safe.
 */
final class DeviceBinding {
    private final Clock clock;
    private final Duration pendingTtl;
    private final DeviceService devices;
    private final DpopVerifier dpop;
    private final LoginTicketRepository tickets;

    DeviceBinding(Clock clock, Duration pendingTtl, DeviceService devices, DpopVerifier dpop, LoginTicketRepository tickets) {
        this.clock = clock;
        this.pendingTtl = pendingTtl;
        this.devices = devices;
        this.dpop = dpop;
        this.tickets = tickets;
    }

    /**
     * A step request's proof after its check: none, checked (not yet remembered against replays), or rejected
     * (the rejection counts only if the proof is used).
     */
    record Presented(DpopVerifier.Proof proof, KairanException rejected) {
        static final Presented NONE = new Presented(null, null);
    }

    /** Checks the proof of a step request. Runs on the request's thread, outside any transaction. */
    Presented check(ProofRequest proof) {
        if (proof == null || proof.proof() == null) {
            return Presented.NONE;
        }
        try {
            return new Presented(dpop.check(proof.proof(), proof.method(), proof.url(), null, null), null);
        } catch (DpopVerifier.Rejected e) {
            return new Presented(null, e);
        }
    }

    /**
     * Verifies a proof that a step cannot go without (registering, waiting), before the step's transaction.
     *
     * @param missing why the step needs it, when it is absent
     * @throws KairanException {@code dpop_invalid}
     */
    DpopVerifier.Proof verify(ProofRequest proof, String missing) {
        if (proof == null || proof.proof() == null) {
            throw new DpopVerifier.Rejected(DpopVerifier.Rule.MISSING, missing);
        }
        return dpop.verify(proof.proof(), proof.method(), proof.url(), null, null);
    }

    /**
     * The key a browser registers, as a JWK, proven by the request's proof (which it must have signed). Before the
     * step's transaction.
     *
     * @throws KairanException {@code invalid_field} for a key that is not EC P-256, {@code dpop_invalid} for a proof
     *                         missing, invalid or signed by another key
     */
    ECKey provenKey(Map<String, Object> publicKey, ProofRequest proof) {
        ECKey key;
        try {
            if (publicKey == null) {
                throw KairanException.invalidField("publicKey", "required");
            }
            key = DpopVerifier.publicKey(JWK.parse(publicKey));
        } catch (ParseException | DpopVerifier.Rejected e) {
            throw KairanException.invalidField("publicKey", "an EC P-256 public key as a JWK (kty, crv, x, y)");
        }
        DpopVerifier.Proof p = verify(proof, "registration needs a proof by the key");
        if (!p.jkt().equals(DpopVerifier.thumbprint(key))) {
            throw new DpopVerifier.Rejected(DpopVerifier.Rule.KEY, "the proof is not signed by publicKey");
        }
        return key;
    }

    /**
     * In the step's transaction, with the credential steps done: the device whose key signed the proof, empty
     * when there was no proof or the key is unknown. A rejected or replayed proof is thrown (the step rolls back).
     */
    Optional<DeviceState> known(Tx tx, Presented presented) {
        if (presented.rejected() != null) {
            throw presented.rejected();
        }
        if (presented.proof() == null) {
            return Optional.empty();
        }
        DpopVerifier.Proof p = dpop.remember(presented.proof());
        return devices.findByJkt(tx, p.jkt());
    }

    /**
     * Applies a device step other than {@code done} or {@code device_register}: a pending device is waited for
     * ({@code startWaiting}: the ticket now names it and lives {@code auth.device-pending-ttl}); a key of another user
     * is refused; a rejected or revoked device is refused with an audit event (a rejected one also ends the ticket).
     */
    SignInOutcome settle(Tx tx, SignInStep step, LoginTicket t, String ticket, DeviceState device, Origin origin,
                         boolean startWaiting) {
        switch (step) {
            case KEY_IN_USE:
                return refused(step, "key of device " + device.id() + " is another user's");
            case DEVICE_PENDING:
                LoginTicket waiting = startWaiting ? tickets.startWaiting(tx, t.id(), device.id(), clock.instant().plus(pendingTtl)) : t;
                return new SignInOutcome.Next(new LoginStep(ticket, step.wire, List.of(), null, waiting.expiresAt(), null,
                        devices.view(tx, device.id(), device.id())));
            case DEVICE_REJECTED:
                devices.refused(tx, device, "sign-in", origin);
                tickets.delete(tx, t.id());
                return refused(step, "device " + device.id() + " was rejected");
            case DEVICE_REVOKED:
                devices.refused(tx, device, "sign-in", origin);
                return refused(step, "device " + device.id() + " is revoked");
            default:
                throw new IllegalArgumentException("not a device step to settle: " + step);
        }
    }

    private static SignInOutcome refused(SignInStep step, String why) {
        return new SignInOutcome.Refused(new KairanException(step.refusal, why));
    }
}
