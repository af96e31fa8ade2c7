package jp.kairan.protocol.api;

import java.util.List;

/**
 * Creates a group room; the caller becomes its owner.
 *
 * @param name      1..100 characters
 * @param memberIds other members (users of the caller's organization), may be empty
 */
public record CreateRoomRequest(String name, List<String> memberIds) {
}
