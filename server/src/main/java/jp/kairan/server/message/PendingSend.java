package jp.kairan.server.message;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import jp.kairan.protocol.SendMessage;
import jp.kairan.server.room.Membership;

/**
 * A validated send waiting for its group commit.
 *
 * @param senderId    author
 * @param senderName  author's display name
 * @param room        the room's membership when validated (for @all and fan-out)
 * @param cmd         the frame
 * @param mentioned   explicitly mentioned members
 * @param result      completed on the writer thread after commit (or with the failure)
 */
record PendingSend(long senderId, String senderName, Membership room, SendMessage cmd, List<Long> mentioned,
                   CompletableFuture<Stored> result) {

    long roomId() {
        return room.roomId();
    }
}
