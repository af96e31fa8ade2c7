package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;
import jp.kairan.server.access.Role;
import jp.kairan.server.device.DeviceState;
import jp.kairan.server.device.DeviceStatus;
import jp.kairan.server.org.Factor;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SignInSteps} over every combination of what it decides from: the org's factors, whether mail is on, the
 * user's address, authenticator and forced password change, the ticket's second factor, expiry and waiting device,
 * the lock, the user's status, and the device a proof named (none, the user's own or another user's, in each
 * status). The expected step is stated as {@code protocol/HTTP-API.md} orders the steps.
 */
class SignInStepsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final long USER = 7;
    private static final long OTHER_USER = 8;

    /** The credential part of a sign-in: everything but the device. */
    record Account(boolean orgAllowsTotp, boolean orgAllowsEmail, boolean mailEnabled, boolean hasEmail,
                   boolean totpEnrolled, boolean mustChangePassword, boolean otpDone) {
        boolean totpUsable() {
            return orgAllowsTotp && totpEnrolled;
        }

        boolean emailUsable() {
            return orgAllowsEmail && mailEnabled && hasEmail;
        }

        /** The steps before the device, by the documented order; DONE when they are all behind. */
        SignInStep expectedCredentialStep() {
            if (!otpDone && (totpUsable() || emailUsable())) {
                return SignInStep.OTP; // a usable second factor comes first
            }
            if (mustChangePassword) {
                return SignInStep.PASSWORD_CHANGE; // then the forced password change
            }
            if (!otpDone) {
                // no factor usable yet: enrol an authenticator, if the org allows one at all
                return orgAllowsTotp ? SignInStep.TOTP_ENROL : SignInStep.NO_SECOND_FACTOR;
            }
            return SignInStep.DONE;
        }
    }

    /** The device a proof named: none, or the user's own or another user's in some status. */
    record Device(boolean known, boolean own, DeviceStatus status) {
        Optional<DeviceState> state() {
            return known ? Optional.of(new DeviceState(99, 1L, own ? USER : OTHER_USER, "jkt", status)) : Optional.empty();
        }

        SignInStep expected() {
            if (!known) {
                return SignInStep.DEVICE_REGISTER;
            }
            if (!own) {
                return SignInStep.KEY_IN_USE; // whatever its status
            }
            return switch (status) {
                case APPROVED -> SignInStep.DONE;
                case PENDING -> SignInStep.DEVICE_PENDING;
                case REJECTED -> SignInStep.DEVICE_REJECTED;
                case REVOKED -> SignInStep.DEVICE_REVOKED;
            };
        }

        @Override
        public String toString() {
            return known ? (own ? "own " : "another user's ") + status : "no known device";
        }
    }

    static List<Account> accounts() {
        List<Account> all = new ArrayList<>();
        for (int bits = 0; bits < 1 << 7; bits++) {
            all.add(new Account(bit(bits, 0), bit(bits, 1), bit(bits, 2), bit(bits, 3), bit(bits, 4), bit(bits, 5), bit(bits, 6)));
        }
        return all;
    }

    static List<Device> devices() {
        List<Device> all = new ArrayList<>();
        all.add(new Device(false, false, null));
        for (boolean own : new boolean[] {true, false}) {
            for (DeviceStatus s : DeviceStatus.values()) {
                all.add(new Device(true, own, s));
            }
        }
        return all;
    }

    static Stream<Arguments> accountsAndDevices() {
        return accounts().stream().flatMap(a -> devices().stream().map(d -> Arguments.of(a, d)));
    }

    static Stream<Arguments> accountsAndTicketStates() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (Account a : accounts()) {
            for (int bits = 0; bits < 1 << 4; bits++) {
                out.add(Arguments.of(a, bit(bits, 0), bit(bits, 1), bit(bits, 2), bit(bits, 3)));
            }
        }
        return out.build();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("accountsAndDevices")
    void nextTakesTheCredentialStepsInOrderThenTheDevice(Account a, Device d) {
        SignInStep credentials = a.expectedCredentialStep();
        SignInStep expected = credentials == SignInStep.DONE ? d.expected() : credentials;

        assertThat(SignInSteps.next(ticket(a.otpDone(), NOW.plusSeconds(60), null), user(a, UserStatus.ACTIVE), cred(a, false),
                factors(a), d.state())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, expired={1}, locked={2}, suspended={3}, waiting={4}")
    @MethodSource("accountsAndTicketStates")
    void currentRefusesExpiredLockedAndSuspendedFirstThenNamesTheStepTheTicketIsAt(Account a, boolean expired, boolean locked,
                                                                                    boolean suspended, boolean waiting) {
        SignInStep expected;
        if (expired) {
            expected = SignInStep.EXPIRED;
        } else if (locked) {
            expected = SignInStep.LOCKED;
        } else if (suspended) {
            expected = SignInStep.SUSPENDED;
        } else if (a.expectedCredentialStep() != SignInStep.DONE) {
            expected = a.expectedCredentialStep();
        } else {
            expected = waiting ? SignInStep.DEVICE_PENDING : SignInStep.DEVICE_REGISTER;
        }
        LoginTicket t = ticket(a.otpDone(), expired ? NOW : NOW.plusMillis(1), waiting ? 99L : null);

        assertThat(SignInSteps.current(t, user(a, suspended ? UserStatus.SUSPENDED : UserStatus.ACTIVE), cred(a, locked),
                factors(a), NOW)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accounts")
    void usableFactorsAreTotpOnceEnrolledAndEmailWithAnAddressAndMail(Account a) {
        Set<Factor> expected = EnumSet.noneOf(Factor.class);
        if (a.totpUsable()) {
            expected.add(Factor.TOTP);
        }
        if (a.emailUsable()) {
            expected.add(Factor.EMAIL);
        }

        assertThat(SignInSteps.usable(factors(a), user(a, UserStatus.ACTIVE), cred(a, false))).isEqualTo(expected);
    }

    @Test
    void aLockThatRanOutNoLongerRefuses() {
        Account a = new Account(true, true, true, true, true, false, false);
        Credentials.Snapshot ranOut = new Credentials.Snapshot(USER, "hash", false, new byte[20], 0, 5, NOW);

        assertThat(SignInSteps.current(ticket(false, NOW.plusSeconds(1), null), user(a, UserStatus.ACTIVE), ranOut, factors(a), NOW))
                .isEqualTo(SignInStep.OTP);
    }

    @Test
    void aFirstSignInWithAnIssuedPasswordChangesItThenEnrolsThenRegistersTheDevice() {
        Account first = new Account(true, false, false, false, false, true, false);
        Account changed = new Account(true, false, false, false, false, false, false);
        Account enrolled = new Account(true, false, false, false, true, false, true);

        assertThat(next(first, Optional.empty())).isEqualTo(SignInStep.PASSWORD_CHANGE);
        assertThat(next(changed, Optional.empty())).isEqualTo(SignInStep.TOTP_ENROL);
        assertThat(next(enrolled, Optional.empty())).isEqualTo(SignInStep.DEVICE_REGISTER);
    }

    @ParameterizedTest
    @EnumSource(SignInStep.class)
    void stepsHaveTheirWireNameAndEndsTheirErrorCode(SignInStep step) {
        List<String> wire = List.of(LoginStep.OTP, LoginStep.PASSWORD_CHANGE, LoginStep.TOTP_ENROL, LoginStep.DEVICE_REGISTER,
                LoginStep.DEVICE_PENDING, LoginStep.DONE);
        if (step.refused()) {
            assertThat(step.wire).isNull();
            assertThat(step.refusal).isIn(Arrays.asList(ErrorCode.LOGIN_EXPIRED, ErrorCode.ACCOUNT_LOCKED, ErrorCode.ACCOUNT_DISABLED,
                    ErrorCode.FACTOR_NOT_ALLOWED, ErrorCode.DEVICE_KEY_IN_USE, ErrorCode.DEVICE_REJECTED, ErrorCode.DEVICE_REVOKED));
        } else {
            assertThat(step.wire).isEqualTo(wire.get(step.ordinal()));
        }
    }

    private static SignInStep next(Account a, Optional<DeviceState> device) {
        return SignInSteps.next(ticket(a.otpDone(), NOW.plusSeconds(60), null), user(a, UserStatus.ACTIVE), cred(a, false),
                factors(a), device);
    }

    private static boolean bit(int bits, int i) {
        return (bits & (1 << i)) != 0;
    }

    private static LoginTicket ticket(boolean otpDone, Instant expiresAt, Long deviceId) {
        return new LoginTicket(1, "hash", USER, otpDone, 0, null, null, null, null, expiresAt, deviceId);
    }

    private static UserProfile user(Account a, UserStatus status) {
        return new UserProfile(USER, 1L, "yamada", "山田", null, a.hasEmail() ? "yamada@city.example.jp" : null, status,
                Set.of(Role.MEMBER), NOW);
    }

    private static Credentials.Snapshot cred(Account a, boolean locked) {
        return new Credentials.Snapshot(USER, "hash", a.mustChangePassword(), a.totpEnrolled() ? new byte[20] : null, 0,
                locked ? 5 : 0, locked ? NOW.plusSeconds(600) : null);
    }

    private static SignInSteps.Factors factors(Account a) {
        Set<Factor> allowed = EnumSet.noneOf(Factor.class);
        if (a.orgAllowsTotp()) {
            allowed.add(Factor.TOTP);
        }
        if (a.orgAllowsEmail()) {
            allowed.add(Factor.EMAIL);
        }
        return new SignInSteps.Factors(allowed, a.mailEnabled());
    }
}
