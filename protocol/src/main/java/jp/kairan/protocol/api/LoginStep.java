package jp.kairan.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The next step of a sign-in.
 *
 * @param ticket    opaque ticket for the next call; null when {@code next} is {@code done}
 * @param next      {@code otp}, {@code password_change}, {@code totp_enrol}, {@code device_register},
 *                  {@code device_pending} or {@code done}
 * @param methods   usable one-time-password methods ({@code totp}, {@code email}) when {@code next} is {@code otp}
 * @param emailHint masked e-mail address the code would be mailed to, or null
 * @param expiresAt when the ticket expires
 * @param session   the session when {@code next} is {@code done}
 * @param device    the device waiting for approval when {@code next} is {@code device_pending}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginStep(String ticket, String next, List<String> methods, String emailHint, Instant expiresAt,
                        Session session, Device device) {
    public static final String OTP = "otp";
    public static final String PASSWORD_CHANGE = "password_change";
    public static final String TOTP_ENROL = "totp_enrol";
    public static final String DEVICE_REGISTER = "device_register";
    public static final String DEVICE_PENDING = "device_pending";
    public static final String DONE = "done";
}
