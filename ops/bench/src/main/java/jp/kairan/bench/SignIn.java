package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * Walks the sign-in state machine of HTTP-API.md ("Sign-in") to {@code done}, blocking: password,
 * then a TOTP code, a password change or a TOTP enrolment, whatever the server asks for next. The
 * access token and its expiry are also kept in the {@link Account}.
 */
final class SignIn {
    private static final int MAX_STEPS = 8;

    private final Api api;

    SignIn(Api api) {
        this.api = api;
    }

    /**
     * Signs {@code account} in and returns the access token. A required password change sets
     * {@code newPassword}; a required TOTP enrolment stores the new secret in the account.
     */
    String signIn(Account account, String newPassword) {
        JsonNode step = api.post("/auth/login",
                Map.of("loginId", account.loginId, "password", account.password), null);
        for (int i = 0; i < MAX_STEPS; i++) {
            String next = step.path("next").asText("");
            String ticket = step.path("ticket").asText("");
            switch (next) {
                case "done": {
                    String token = step.path("session").path("accessToken").asText("");
                    if (token.isEmpty()) {
                        throw new ApiException(200, "missing_access_token",
                                "LoginStep done without session.accessToken for " + account.loginId, false);
                    }
                    account.accessToken = token;
                    long expiresIn = step.path("session").path("expiresIn").asLong(0);
                    account.accessTokenExpiresAt = expiresIn > 0 ? Instant.now().plusSeconds(expiresIn) : null;
                    return token;
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
                            Map.of("ticket", ticket, "method", "totp", "code", account.nextCodeWaiting()), null);
                    break;
                }
                case "password_change": {
                    step = api.post("/auth/password", Map.of("ticket", ticket, "newPassword", newPassword), null);
                    account.password = newPassword;
                    break;
                }
                case "totp_enrol": {
                    JsonNode enrolment = api.post("/auth/totp/enrol", Map.of("ticket", ticket), null);
                    String secret = enrolment.path("secret").asText("");
                    if (secret.isEmpty()) {
                        throw new ApiException(200, "missing_totp_secret", "TotpEnrolment without secret", false);
                    }
                    account.totpSecret = Base32.decode(secret);
                    step = api.post("/auth/totp/confirm",
                            Map.of("ticket", ticket, "code", account.nextCodeWaiting()), null);
                    break;
                }
                default:
                    throw new ApiException(200, "unexpected_next_" + next,
                            "sign-in of " + account.loginId + " answered " + step, false);
            }
        }
        throw new ApiException(200, "sign_in_loop", "no 'done' after " + MAX_STEPS + " steps for " + account.loginId, false);
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
