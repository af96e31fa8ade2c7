package jp.kairan.protocol.api;

/** {@code POST /api/v1/auth/login}. */
public record LoginRequest(String loginId, String password) {
    @Override
    public String toString() {
        return "LoginRequest[loginId=" + loginId + ", password=<masked>]";
    }
}
