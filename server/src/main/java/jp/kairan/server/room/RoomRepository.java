package jp.kairan.server.room;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/** Rooms and members in SQL. Every method joins the caller's transaction. */
final class RoomRepository {
    static final String GROUP = "group";
    static final String DIRECT = "direct";

    /** A room row. */
    record RoomRow(long id, long orgId, String kind, String name, String directKey, Instant createdAt,
                   Instant archivedAt, long lastSeq) {
        boolean direct() {
            return DIRECT.equals(kind);
        }
    }

    /** A member row with the user's display name. */
    record MemberRow(long userId, String displayName, RoomRole role, long readSeq, Instant readAt, Instant joinedAt) {
    }

    /** A room of one user, with their position in it. */
    record MyRoom(RoomRow room, RoomRole myRole, long readSeq, int memberCount) {
    }

    Optional<RoomRow> find(Tx tx, long roomId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id, kind, name, direct_key, created_at, "
                    + "archived_at, last_seq FROM rooms WHERE id = ?")) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(room(rs, 1)) : Optional.empty();
                }
            }
        });
    }

    Optional<Long> findDirect(Tx tx, String directKey) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM rooms WHERE direct_key = ?")) {
                ps.setString(1, directKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    Membership membership(Tx tx, long roomId) {
        return tx.jdbc(c -> {
            RoomRow room;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id, kind, name, direct_key, created_at, "
                    + "archived_at, last_seq FROM rooms WHERE id = ?")) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Membership.none(roomId);
                    }
                    room = room(rs, 1);
                }
            }
            Map<Long, RoomRole> members = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, role FROM room_members WHERE room_id = ?")) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.put(rs.getLong(1), RoomRole.valueOf(rs.getString(2)));
                    }
                }
            }
            return new Membership(roomId, room.orgId(), room.direct(), room.archivedAt() != null, members);
        });
    }

    List<MemberRow> members(Tx tx, long roomId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT m.user_id, u.display_name, m.role, m.read_seq, "
                    + "m.read_at, m.joined_at FROM room_members m JOIN users u ON u.id = m.user_id "
                    + "WHERE m.room_id = ? ORDER BY m.joined_at, m.user_id")) {
                ps.setLong(1, roomId);
                List<MemberRow> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new MemberRow(rs.getLong(1), rs.getString(2), RoomRole.valueOf(rs.getString(3)),
                                rs.getLong(4), UtcTimes.read(rs, 5), UtcTimes.read(rs, 6)));
                    }
                }
                return rows;
            }
        });
    }

    List<MyRoom> roomsOf(Tx tx, long userId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.org_id, r.kind, r.name, r.direct_key, "
                    + "r.created_at, r.archived_at, r.last_seq, m.role, m.read_seq, "
                    + "(SELECT COUNT(*) FROM room_members x WHERE x.room_id = r.id) "
                    + "FROM room_members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ?")) {
                ps.setLong(1, userId);
                List<MyRoom> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new MyRoom(room(rs, 1), RoomRole.valueOf(rs.getString(9)), rs.getLong(10), rs.getInt(11)));
                    }
                }
                return rows;
            }
        });
    }

    /** For each direct talk of {@code userId}: the other person's id and display name. */
    Map<Long, Map.Entry<Long, String>> directPeers(Tx tx, long userId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT o.room_id, o.user_id, u.display_name "
                    + "FROM room_members me JOIN rooms r ON r.id = me.room_id AND r.kind = 'direct' "
                    + "JOIN room_members o ON o.room_id = me.room_id AND o.user_id <> me.user_id "
                    + "JOIN users u ON u.id = o.user_id WHERE me.user_id = ?")) {
                ps.setLong(1, userId);
                Map<Long, Map.Entry<Long, String>> peers = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        peers.put(rs.getLong(1), Map.entry(rs.getLong(2), rs.getString(3)));
                    }
                }
                return peers;
            }
        });
    }

    /** Display names of the given users that are active members of {@code orgId}; others are left out. */
    Map<Long, String> activeUsers(Tx tx, long orgId, Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return tx.jdbc(c -> {
            String in = userIds.stream().map(id -> "?").collect(Collectors.joining(","));
            try (PreparedStatement ps = c.prepareStatement("SELECT id, display_name FROM users WHERE org_id = ? "
                    + "AND status = 'ACTIVE' AND id IN (" + in + ")")) {
                ps.setLong(1, orgId);
                int i = 2;
                for (long id : userIds) {
                    ps.setLong(i++, id);
                }
                Map<Long, String> found = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getLong(1), rs.getString(2));
                    }
                }
                return found;
            }
        });
    }

    void insertRoom(Tx tx, long id, long orgId, String kind, String name, String directKey, long createdBy, Instant now) {
        tx.jdbc(c -> update(c, "INSERT INTO rooms (id, org_id, kind, name, direct_key, created_by, created_at, "
                + "archived_at, last_seq, last_message_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL, 0)",
                id, orgId, kind, name, directKey, createdBy, UtcTimes.toColumn(now)));
    }

    void insertMembers(Tx tx, long roomId, Map<Long, RoomRole> members, Instant now) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_members (room_id, user_id, role, "
                    + "joined_at, read_seq, read_at) VALUES (?, ?, ?, ?, 0, NULL)")) {
                for (Map.Entry<Long, RoomRole> m : members.entrySet()) {
                    ps.setLong(1, roomId);
                    ps.setLong(2, m.getKey());
                    ps.setString(3, m.getValue().name());
                    ps.setObject(4, UtcTimes.toColumn(now));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    void rename(Tx tx, long roomId, String name) {
        tx.jdbc(c -> update(c, "UPDATE rooms SET name = ?, version = version + 1 WHERE id = ?", name, roomId));
    }

    void setArchived(Tx tx, long roomId, Instant archivedAt) {
        tx.jdbc(c -> update(c, "UPDATE rooms SET archived_at = ?, version = version + 1 WHERE id = ?",
                UtcTimes.toColumn(archivedAt), roomId));
    }

    void setRole(Tx tx, long roomId, long userId, RoomRole role) {
        tx.jdbc(c -> update(c, "UPDATE room_members SET role = ? WHERE room_id = ? AND user_id = ?",
                role.name(), roomId, userId));
    }

    int removeMember(Tx tx, long roomId, long userId) {
        return tx.jdbc(c -> update(c, "DELETE FROM room_members WHERE room_id = ? AND user_id = ?", roomId, userId));
    }

    /** Locks the room row until the transaction ends (serializes membership changes of one room). */
    void lock(Tx tx, long roomId) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM rooms WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, roomId);
                ps.executeQuery().close();
            }
            return null;
        });
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static RoomRow room(ResultSet rs, int at) throws SQLException {
        return new RoomRow(rs.getLong(at), rs.getLong(at + 1), rs.getString(at + 2), rs.getString(at + 3),
                rs.getString(at + 4), UtcTimes.read(rs, at + 5), UtcTimes.read(rs, at + 6),
                rs.getLong(at + 7));
    }
}
