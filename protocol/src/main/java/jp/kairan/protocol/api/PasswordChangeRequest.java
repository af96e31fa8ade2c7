package jp.kairan.protocol.api;

/** {@code POST /api/v1/me/password}. */
public record PasswordChangeRequest(String currentPassword, String newPassword) {
    @Override
    public String toString() {
        return "PasswordChangeRequest[<masked>]";
    }
}
