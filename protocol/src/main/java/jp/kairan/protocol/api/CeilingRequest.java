package jp.kairan.protocol.api;

/** Sets a room's ceiling: {@code I}..{@code IV}, or null to follow the org default. */
public record CeilingRequest(String ceiling) {
}
