package jp.kairan.protocol.api;

/** The new user and their initial password (shown once). */
public record CreateUserResponse(User user, String initialPassword) {
}
