package jp.kairan.protocol.api;

/** A generated initial password, shown once. */
public record InitialPassword(String initialPassword) {
}
