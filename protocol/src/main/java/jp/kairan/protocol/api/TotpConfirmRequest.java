package jp.kairan.protocol.api;

/** Confirms a TOTP enrolment with a code; {@code ticket} is null when signed in ({@code /me/totp/confirm}). */
public record TotpConfirmRequest(String ticket, String code) {
}
