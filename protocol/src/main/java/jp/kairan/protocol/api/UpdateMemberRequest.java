package jp.kairan.protocol.api;

/**
 * Changes a member's role in a group room (room owners).
 *
 * @param role {@code owner}, {@code admin} or {@code member}
 */
public record UpdateMemberRequest(String role) {
}
