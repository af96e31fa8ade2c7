package jp.kairan.protocol.api;

/** A sign-in step that carries only the ticket ({@code /auth/otp/email}, {@code /auth/totp/enrol}). */
public record TicketRequest(String ticket) {
}
