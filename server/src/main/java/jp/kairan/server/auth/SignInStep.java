package jp.kairan.server.auth;

import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.LoginStep;

/**
 * Where a sign-in stands: a step the client takes next ({@link #wire} is its name in {@link LoginStep#next()}), or
 * an end that refuses the sign-in ({@link #refusal} is the error the client gets). Decided by {@link SignInSteps}.
 */
enum SignInStep {
    OTP(LoginStep.OTP),
    PASSWORD_CHANGE(LoginStep.PASSWORD_CHANGE),
    TOTP_ENROL(LoginStep.TOTP_ENROL),
    DEVICE_REGISTER(LoginStep.DEVICE_REGISTER),
    DEVICE_PENDING(LoginStep.DEVICE_PENDING),
    DONE(LoginStep.DONE),
    /** The ticket is past its expiry. */
    EXPIRED(ErrorCode.LOGIN_EXPIRED),
    /** Too many failures locked the account. */
    LOCKED(ErrorCode.ACCOUNT_LOCKED),
    /** The user is suspended. */
    SUSPENDED(ErrorCode.ACCOUNT_DISABLED),
    /** The org allows only e-mail and the user has no address (or mail is off): no second factor can be had. */
    NO_SECOND_FACTOR(ErrorCode.FACTOR_NOT_ALLOWED),
    /** The proof's key belongs to a device of another user. */
    KEY_IN_USE(ErrorCode.DEVICE_KEY_IN_USE),
    /** The proof's key belongs to a rejected device. */
    DEVICE_REJECTED(ErrorCode.DEVICE_REJECTED),
    /** The proof's key belongs to a revoked device. */
    DEVICE_REVOKED(ErrorCode.DEVICE_REVOKED);

    /** The wire name of a step, or null for an end. */
    final String wire;
    /** The error of an end, or null for a step. */
    final ErrorCode refusal;

    SignInStep(String wire) {
        this.wire = wire;
        this.refusal = null;
    }

    SignInStep(ErrorCode refusal) {
        this.wire = null;
        this.refusal = refusal;
    }

    /** Whether the sign-in stops here with {@link #refusal}. */
    boolean refused() {
        return refusal != null;
    }
}
