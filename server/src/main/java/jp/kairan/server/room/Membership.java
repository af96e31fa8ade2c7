package jp.kairan.server.room;

import java.util.Map;
import java.util.Set;

/**
 * Who is in a room, as cached for every frame: the facts authorization and fan-out need. Immutable; replaced
 * (never changed) when membership changes.
 *
 * @param roomId   room
 * @param orgId    its organization
 * @param direct   whether a direct (1:1) talk
 * @param archived whether read-only
 * @param members  member user ids and their room roles
 */
public record Membership(long roomId, long orgId, boolean direct, boolean archived, Map<Long, RoomRole> members) {
    /** The answer for a room that does not exist: nobody is a member. */
    static Membership none(long roomId) {
        return new Membership(roomId, -1, false, false, Map.of());
    }

    public Membership {
        members = Map.copyOf(members);
    }

    public boolean exists() {
        return orgId >= 0;
    }

    public boolean isMember(long userId) {
        return members.containsKey(userId);
    }

    public Set<Long> memberIds() {
        return members.keySet();
    }
}
