package jp.kairan.protocol.api;

/** {@code POST /api/v1/auth/otp}: method is {@code totp} or {@code email}. */
public record OtpRequest(String ticket, String method, String code) {
}
