package jp.kairan.protocol.api;

/** {@code POST /api/v1/me/totp/enrol}: replacing the second factor needs the current password. */
public record TotpEnrolRequest(String currentPassword) {
    @Override
    public String toString() {
        return "TotpEnrolRequest[<masked>]";
    }
}
