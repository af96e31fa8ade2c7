package jp.kairan.server.room;

import jp.kairan.protocol.api.RoomPolicy;
import jp.kairan.server.store.Tx;

/** Where the room's ceiling and emergency mode come from when a room is shown (POLICY.md). */
public interface RoomPolicyView {
    /** The room's policy as of this transaction, or null when the room does not exist. */
    RoomPolicy policy(Tx tx, long roomId);

    /** No policy: for command-line use. */
    RoomPolicyView NONE = (tx, roomId) -> null;
}
