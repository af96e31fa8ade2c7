package jp.kairan.protocol.api;

/** A decision that must say why: rejecting or revoking a device. {@code reason}: 1–500 characters. */
public record ReasonRequest(String reason) {
}
