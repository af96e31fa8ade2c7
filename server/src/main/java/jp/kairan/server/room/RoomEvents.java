package jp.kairan.server.room;

import java.util.Collection;
import jp.kairan.protocol.ServerMessage;

/**
 * Where features push real-time events; the gateway delivers them to the connections of the users concerned
 * (and, with several nodes, the cluster bus to the other nodes). Implementations encode each event once and
 * never block the caller. Calls from one thread are delivered in call order to each connection.
 */
public interface RoomEvents {
    /** To every connection of every member of {@code room}. */
    void toRoom(Membership room, ServerMessage event);

    /** To every connection of these users. */
    void toUsers(Collection<Long> userIds, ServerMessage event);

    /** Drops nothing and delivers nothing: for command-line use, where no one is connected. */
    RoomEvents NONE = new RoomEvents() {
        @Override
        public void toRoom(Membership room, ServerMessage event) {
        }

        @Override
        public void toUsers(Collection<Long> userIds, ServerMessage event) {
        }
    };
}
