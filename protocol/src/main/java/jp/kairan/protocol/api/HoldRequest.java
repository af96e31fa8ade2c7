package jp.kairan.protocol.api;

/** Places a legal hold: scope {@code org}, {@code room} or {@code user}; targetId for a room or user; a reason. */
public record HoldRequest(String scope, String targetId, String reason) {
}
