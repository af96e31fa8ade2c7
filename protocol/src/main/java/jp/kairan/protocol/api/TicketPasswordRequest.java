package jp.kairan.protocol.api;

/** {@code POST /api/v1/auth/password}: the forced password change during sign-in. */
public record TicketPasswordRequest(String ticket, String newPassword) {
    @Override
    public String toString() {
        return "TicketPasswordRequest[newPassword=<masked>]";
    }
}
