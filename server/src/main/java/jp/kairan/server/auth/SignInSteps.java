package jp.kairan.server.auth;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.device.DeviceStatus;
import jp.kairan.server.org.Factor;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;

/**
 * The sign-in state machine as pure functions: given the ticket, the user, their credentials, the second factors on
 * offer and the device a proof named, which {@link SignInStep} comes next. No I/O and no clock: the caller reads the
 * rows and passes the time. The order of steps is {@code protocol/HTTP-API.md}'s:
 * <ol>
 *   <li>a one-time password, when a second factor is usable and not yet given;</li>
 *   <li>the forced password change, when the password was issued by an admin;</li>
 *   <li>TOTP enrolment, when no second factor is usable yet (and the org allows TOTP);</li>
 *   <li>the device: registered, pending, refused, or approved — then the sign-in is done.</li>
 * </ol>
 */
final class SignInSteps {
    private SignInSteps() {
    }

    /**
     * The second factors the server may offer a user.
     *
     * @param allowed     what the user's organization allows
     * @param mailEnabled whether the server sends mail at all
     */
    record Factors(Set<Factor> allowed, boolean mailEnabled) {
        Factors {
            allowed = Set.copyOf(allowed);
        }
    }

    /** The factors a user can answer with now: TOTP once enrolled, e-mail when they have an address. */
    static Set<Factor> usable(Factors factors, UserProfile user, Credentials.Snapshot cred) {
        Set<Factor> usable = EnumSet.noneOf(Factor.class);
        if (factors.allowed().contains(Factor.TOTP) && cred.totpSecret() != null) {
            usable.add(Factor.TOTP);
        }
        if (factors.allowed().contains(Factor.EMAIL) && factors.mailEnabled() && user.email() != null) {
            usable.add(Factor.EMAIL);
        }
        return usable;
    }

    /**
     * The step a ticket stands at when a request on it arrives: the ends that stop any step (expired ticket, locked
     * account, suspended user) first, then the credential steps, then the device step the ticket is in (registering
     * one, or waiting for the one it names).
     */
    static SignInStep current(LoginTicket ticket, UserProfile user, Credentials.Snapshot cred, Factors factors, Instant now) {
        if (!ticket.expiresAt().isAfter(now)) {
            return SignInStep.EXPIRED;
        }
        if (cred.lockedAt(now)) {
            return SignInStep.LOCKED;
        }
        if (user.status() != UserStatus.ACTIVE) {
            return SignInStep.SUSPENDED;
        }
        SignInStep step = credentialStep(ticket, user, cred, factors);
        if (step != SignInStep.DONE) {
            return step;
        }
        return ticket.deviceId() == null ? SignInStep.DEVICE_REGISTER : SignInStep.DEVICE_PENDING;
    }

    /**
     * The step after a request did its work: the credential steps, then — once those are done — what the device
     * says: none known by the proof's key means registering one; then the device's owner and status decide.
     *
     * @param device the device whose key signed the request's proof (or that the ticket waits for); empty when
     *               there was no proof or its key is unknown
     */
    static SignInStep next(LoginTicket ticket, UserProfile user, Credentials.Snapshot cred, Factors factors,
                           Optional<DeviceState> device) {
        SignInStep step = credentialStep(ticket, user, cred, factors);
        if (step != SignInStep.DONE) {
            return step;
        }
        if (device.isEmpty()) {
            return SignInStep.DEVICE_REGISTER;
        }
        DeviceState d = device.get();
        if (d.userId() != user.id()) {
            return SignInStep.KEY_IN_USE;
        }
        if (d.status() == DeviceStatus.APPROVED) {
            return SignInStep.DONE;
        }
        if (d.status() == DeviceStatus.PENDING) {
            return SignInStep.DEVICE_PENDING;
        }
        return d.status() == DeviceStatus.REJECTED ? SignInStep.DEVICE_REJECTED : SignInStep.DEVICE_REVOKED;
    }

    /** The password and second-factor part: a step, {@link SignInStep#NO_SECOND_FACTOR}, or DONE when complete. */
    private static SignInStep credentialStep(LoginTicket ticket, UserProfile user, Credentials.Snapshot cred, Factors factors) {
        if (!ticket.otpDone() && !usable(factors, user, cred).isEmpty()) {
            return SignInStep.OTP;
        }
        if (cred.mustChangePassword()) {
            return SignInStep.PASSWORD_CHANGE;
        }
        if (!ticket.otpDone()) {
            return factors.allowed().contains(Factor.TOTP) ? SignInStep.TOTP_ENROL : SignInStep.NO_SECOND_FACTOR;
        }
        return SignInStep.DONE;
    }
}
