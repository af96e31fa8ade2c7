package jp.kairan.protocol.api;

import java.util.List;

/**
 * Invites users of the organization into a group room (room owners and admins).
 *
 * @param userIds users to add; those already members are skipped
 */
public record AddMembersRequest(List<String> userIds) {
}
