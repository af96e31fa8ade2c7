package jp.kairan.bench;

import java.time.Instant;

/**
 * A user the bench signs in as: login ID, current password, TOTP secret once enrolled, and the last
 * TOTP step it used. The server accepts each step at most once per user (replay protection), so a
 * user can complete at most one sign-in per 30-second step.
 */
final class Account {
    static final Totp TOTP = new Totp();

    final String loginId;
    volatile String password;
    volatile byte[] totpSecret;
    /** The last TOTP step sent for this account; -1 if none. */
    volatile long lastStep = -1;
    /** True while a measured login of this account is under way. */
    volatile boolean inFlight;
    /** The user's id, once known (set by {@link Setup}); null before. */
    volatile String userId;
    /** The access token of the last completed sign-in, or null. */
    volatile String accessToken;
    /** When {@link #accessToken} expires, by the server's {@code expiresIn}; null when unknown. */
    volatile Instant accessTokenExpiresAt;
    /** The key of this account's device (protocol/DEVICES.md), made at its first sign-in; null before. */
    volatile DeviceKey deviceKey;
    /** The id of that device once the server named it (pending devices only); null when unknown. */
    volatile String deviceId;

    Account(String loginId, String password) {
        this.loginId = loginId;
        this.password = password;
    }

    static long currentStep() {
        return TOTP.step(Instant.now());
    }

    /**
     * The code for the current step, recorded as used. If this account already used the current
     * step, waits for the next one (setup only: the measured phase never picks such an account).
     */
    String nextCodeWaiting() {
        long step = currentStep();
        while (step <= lastStep) {
            long waitMillis = (lastStep + 1) * 30_000L - System.currentTimeMillis() + 50;
            try {
                Thread.sleep(Math.max(50, waitMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the next TOTP step", e);
            }
            step = currentStep();
        }
        return codeFor(step);
    }

    /** The code for {@code step}, recorded as this account's last used step. */
    String codeFor(long step) {
        if (totpSecret == null) {
            throw new IllegalStateException(loginId + " has no TOTP secret");
        }
        lastStep = Math.max(lastStep, step);
        return TOTP.generate(totpSecret, step);
    }

    @Override
    public String toString() {
        return loginId;
    }
}
