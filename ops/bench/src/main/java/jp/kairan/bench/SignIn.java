package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * Walks the sign-in state machine of HTTP-API.md ("Sign-in") and protocol/DEVICES.md to {@code done}, blocking:
 * password, then a TOTP code, a password change or a TOTP enrolment, whatever the server asks for next; every call
 * carries a DPoP proof by the device key. A key the server does not know is registered ({@code device_register});
 * a pending device is approved by the {@link Approver} (the bench's organization owner) and the sign-in then
 * finishes with {@code POST /auth/device/wait}. The access token and its expiry are also kept in the
 * {@link Account} when the account's own key is used.
 */
final class SignIn {
    private static final int MAX_STEPS = 12;
    private static final int MAX_WAITS = 50;
    private static final long WAIT_PAUSE_MILLIS = 200;

    /** Approves a pending device, e.g. the organization owner's {@code POST /orgs/{id}/devices/{id}/approve}. */
    @FunctionalInterface
    interface Approver {
        void approve(String deviceId);
    }

    /** The outcome of a sign-in: the access token bound to the key, its expiry, and the device's id when known. */
    record Session(String accessToken, Instant expiresAt, String deviceId) {
    }

    private final Api api;
    private final Approver approver;

    /** Sign-ins whose devices are approved at once (the operator's, an organization's first owner device). */
    SignIn(Api api) {
        this(api, null);
    }

    SignIn(Api api, Approver approver) {
        this.api = api;
        this.approver = approver;
    }

    /**
     * Signs {@code account} in with its own device key (made now if it has none) and returns the access token. A
     * required password change sets {@code newPassword}; a required TOTP enrolment stores the new secret in the
     * account.
     */
    String signIn(Account account, String newPassword) {
        if (account.deviceKey == null) {
            account.deviceKey = DeviceKey.generate();
        }
        Session session = signIn(account, newPassword, account.deviceKey, "bench " + account.loginId);
        account.accessToken = session.accessToken();
        account.accessTokenExpiresAt = session.expiresAt();
        if (session.deviceId() != null) {
            account.deviceId = session.deviceId();
        }
        return session.accessToken();
    }

    /** Signs {@code account} in on the device of {@code key} (registered as {@code deviceName} if new). */
    Session signIn(Account account, String newPassword, DeviceKey key, String deviceName) {
        JsonNode step = api.post("/auth/login",
                Map.of("loginId", account.loginId, "password", account.password), null, key);
        String ticket = "";
        String deviceId = null;
        for (int i = 0; i < MAX_STEPS; i++) {
            String next = step.path("next").asText("");
            ticket = step.path("ticket").asText(ticket);
            switch (next) {
                case "done": {
                    String token = step.path("session").path("accessToken").asText("");
                    if (token.isEmpty()) {
                        throw new ApiException(200, "missing_access_token",
                                "LoginStep done without session.accessToken for " + account.loginId, false);
                    }
                    long expiresIn = step.path("session").path("expiresIn").asLong(0);
                    return new Session(token, expiresIn > 0 ? Instant.now().plusSeconds(expiresIn) : null, deviceId);
                }
                case "otp": {
                    if (account.totpSecret == null) {
                        throw new ApiException(200, "otp_without_secret", account.loginId
                                + " has a second factor enrolled but the bench does not know its TOTP secret", false);
                    }
                    if (!contains(step.path("methods"), "totp")) {
                        throw new ApiException(200, "totp_not_offered",
                                "methods " + step.path("methods") + " for " + account.loginId, false);
                    }
                    step = api.post("/auth/otp",
                            Map.of("ticket", ticket, "method", "totp", "code", account.nextCodeWaiting()), null, key);
                    break;
                }
                case "password_change": {
                    step = api.post("/auth/password", Map.of("ticket", ticket, "newPassword", newPassword), null, key);
                    account.password = newPassword;
                    break;
                }
                case "totp_enrol": {
                    JsonNode enrolment = api.post("/auth/totp/enrol", Map.of("ticket", ticket), null, key);
                    String secret = enrolment.path("secret").asText("");
                    if (secret.isEmpty()) {
                        throw new ApiException(200, "missing_totp_secret", "TotpEnrolment without secret", false);
                    }
                    account.totpSecret = Base32.decode(secret);
                    step = api.post("/auth/totp/confirm",
                            Map.of("ticket", ticket, "code", account.nextCodeWaiting()), null, key);
                    break;
                }
                case "device_register": {
                    step = api.post("/auth/device",
                            Map.of("ticket", ticket, "name", deviceName, "publicKey", key.publicJwk()), null, key);
                    break;
                }
                case "device_pending": {
                    deviceId = step.path("device").path("id").asText(null);
                    step = awaitApproval(account, ticket, key, deviceId);
                    break;
                }
                default:
                    throw new ApiException(200, "unexpected_next_" + next,
                            "sign-in of " + account.loginId + " answered " + step, false);
            }
        }
        throw new ApiException(200, "sign_in_loop", "no 'done' after " + MAX_STEPS + " steps for " + account.loginId, false);
    }

    /** Has the pending device approved, then polls {@code /auth/device/wait} until it answers something else. */
    private JsonNode awaitApproval(Account account, String ticket, DeviceKey key, String deviceId) {
        if (approver == null) {
            throw new ApiException(200, "device_pending", "device of " + account.loginId
                    + " awaits approval and the bench has no approver here (operator and first owner devices are"
                    + " approved at once)", false);
        }
        if (deviceId == null) {
            throw new ApiException(200, "device_pending_without_device", "LoginStep device_pending without device.id"
                    + " for " + account.loginId, false);
        }
        approver.approve(deviceId);
        for (int i = 0; ; i++) {
            JsonNode step = api.post("/auth/device/wait", Map.of("ticket", ticket), null, key);
            if (!"device_pending".equals(step.path("next").asText(""))) {
                return step;
            }
            if (i >= MAX_WAITS) {
                throw new ApiException(200, "device_not_approved", "device " + deviceId + " of " + account.loginId
                        + " still pending " + MAX_WAITS + " polls after its approval", false);
            }
            try {
                Thread.sleep(WAIT_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(0, "interrupted", null, false);
            }
        }
    }

    static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }
}
