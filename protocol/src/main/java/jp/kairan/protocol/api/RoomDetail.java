package jp.kairan.protocol.api;

import java.time.Instant;
import java.util.List;

/**
 * A room with its members and their read positions.
 *
 * @param id        room id
 * @param orgId     organization
 * @param kind      {@code group} or {@code direct}
 * @param name      group name; for a direct talk, the other person's display name
 * @param archived  read-only
 * @param createdAt when created
 * @param myRole    the caller's role, or null when an org owner reads a room they are not a member of
 * @param readOnly  true for such an owner's read-only view, and for archived rooms
 * @param lastSeq   seq of the newest message
 * @param members   members with roles and read positions
 * @param policy    the room's ceiling and emergency mode
 */
public record RoomDetail(String id, String orgId, String kind, String name, boolean archived, Instant createdAt,
                         String myRole, boolean readOnly, long lastSeq, List<RoomMember> members, RoomPolicy policy) {
}
