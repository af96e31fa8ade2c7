package jp.kairan.protocol.api;

/** Sets a retention period: days (1..36500), or null for for ever / to follow the organization. */
public record RetentionRequest(Integer days) {
}
