package jp.kairan.protocol.api;

/**
 * Opens the direct talk with one user of the caller's organization (creating it the first time).
 *
 * @param userId the other person
 */
public record DirectRoomRequest(String userId) {
}
