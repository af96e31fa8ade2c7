package jp.kairan.protocol.api;

/** {@code POST …/reset-password}; {@code resetTotp} also removes the enrolled authenticator. */
public record ResetPasswordRequest(Boolean resetTotp) {
}
