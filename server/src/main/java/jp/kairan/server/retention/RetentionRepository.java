package jp.kairan.server.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.kairan.protocol.api.LegalHold;
import jp.kairan.protocol.api.Retention;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * Retention periods, legal holds and the purge's deletions in SQL (JDBC: the purge is a bulk path). Every method
 * joins the caller's transaction; the rules (who may, what is held, batch sizes) stay in {@link RetentionService}.
 * Stateless and thread-safe.
 */
final class RetentionRepository {

    /** A room whose messages expire, with its effective period (the room's, else the org's). */
    record RoomPeriod(long roomId, int days) {
    }

    /** What holds an organization's purge: an org-wide hold, and the rooms held directly or through a member. */
    record Holds(boolean org, Set<Long> rooms) {
    }

    /** One batch of purged messages: their ids (for the search outbox) and the rows deleted. */
    record PurgedBatch(List<Long> messageIds, long messages, long versions, long receipts) {
    }

    // ---------------------------------------------------------------- settings

    /** The org's period (null: for ever) and the rooms that override it; not found when the org does not exist. */
    Retention retention(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            Integer orgDays = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT retention_days FROM organizations WHERE id = ?")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw KairanException.notFound("organization");
                    }
                    int d = rs.getInt(1);
                    orgDays = rs.wasNull() ? null : d;
                }
            }
            List<Retention.RoomRetention> rooms = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, retention_days FROM rooms WHERE org_id = ? AND retention_days IS NOT NULL ORDER BY id")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(new Retention.RoomRetention(Long.toString(rs.getLong(1)), rs.getString(2), rs.getInt(3)));
                    }
                }
            }
            return new Retention(orgDays, rooms);
        });
    }

    Integer orgDays(Tx tx, long orgId) {
        return toInt(queryLong(tx, "SELECT retention_days FROM organizations WHERE id = ?", orgId));
    }

    void setOrgDays(Tx tx, long orgId, Integer days) {
        tx.update("UPDATE organizations SET retention_days = ?, version = version + 1 WHERE id = ?", days, orgId);
    }

    Integer roomDays(Tx tx, long roomId) {
        return toInt(queryLong(tx, "SELECT retention_days FROM rooms WHERE id = ?", roomId));
    }

    void setRoomDays(Tx tx, long roomId, Integer days) {
        tx.update("UPDATE rooms SET retention_days = ?, version = version + 1 WHERE id = ?", days, roomId);
    }

    /** The room's organization; null when there is no such room. */
    Long roomOrg(Tx tx, long roomId) {
        return queryLong(tx, "SELECT org_id FROM rooms WHERE id = ?", roomId);
    }

    /** The user's organization; null when there is no such user (or the user is the operator). */
    Long userOrg(Tx tx, long userId) {
        return queryLong(tx, "SELECT org_id FROM users WHERE id = ?", userId);
    }

    List<Long> orgIds(Tx tx) {
        return tx.jdbc(c -> ids(c, "SELECT id FROM organizations ORDER BY id"));
    }

    // ---------------------------------------------------------------- holds

    /** The org's holds, active first, newest first. */
    List<LegalHold> holds(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            List<LegalHold> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, scope, target_id, reason, created_by, created_at, released_at, "
                    + "released_by, release_reason FROM legal_holds WHERE org_id = ? ORDER BY released_at IS NULL DESC, created_at DESC")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long target = rs.getLong(3);
                        boolean noTarget = rs.wasNull();
                        long releasedBy = rs.getLong(8);
                        boolean notReleased = rs.wasNull();
                        out.add(new LegalHold(Long.toString(rs.getLong(1)), rs.getString(2), noTarget ? null : Long.toString(target),
                                rs.getString(4), Long.toString(rs.getLong(5)), UtcTimes.read(rs, 6), UtcTimes.read(rs, 7),
                                notReleased ? null : Long.toString(releasedBy), rs.getString(9)));
                    }
                }
            }
            return out;
        });
    }

    void insertHold(Tx tx, long id, long orgId, String scope, Long target, String reason, long createdBy, Instant at) {
        tx.update("INSERT INTO legal_holds (id, org_id, scope, target_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, orgId, scope, target, reason, createdBy, UtcTimes.toColumn(at));
    }

    /** Releases an active hold of the org; false when there is none with that id. */
    boolean releaseHold(Tx tx, long orgId, long holdId, long releasedBy, String reason, Instant at) {
        return tx.update("UPDATE legal_holds SET released_at = ?, released_by = ?, release_reason = ? "
                + "WHERE id = ? AND org_id = ? AND released_at IS NULL", UtcTimes.toColumn(at), releasedBy, reason, holdId, orgId) > 0;
    }

    // ---------------------------------------------------------------- purge

    /** The org's rooms that have a period, with it. */
    List<RoomPeriod> expiringRooms(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            List<RoomPeriod> rooms = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, COALESCE(r.retention_days, o.retention_days) FROM rooms r "
                    + "JOIN organizations o ON o.id = r.org_id WHERE r.org_id = ? AND COALESCE(r.retention_days, o.retention_days) IS NOT NULL")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(new RoomPeriod(rs.getLong(1), rs.getInt(2)));
                    }
                }
            }
            return rooms;
        });
    }

    /** The org's active holds: on the org, on rooms, and on users (which hold every room they are a member of). */
    Holds activeHolds(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            Set<Long> held = new HashSet<>();
            held.addAll(ids(c, "SELECT target_id FROM legal_holds WHERE org_id = " + orgId + " AND scope = 'room' AND released_at IS NULL"));
            held.addAll(ids(c, "SELECT DISTINCT m.room_id FROM room_members m JOIN legal_holds h ON h.target_id = m.user_id "
                    + "WHERE h.org_id = " + orgId + " AND h.scope = 'user' AND h.released_at IS NULL"));
            boolean org = !ids(c, "SELECT id FROM legal_holds WHERE org_id = " + orgId + " AND scope = 'org' AND released_at IS NULL").isEmpty();
            return new Holds(org, held);
        });
    }

    /** The last seq of the room's messages sent before {@code cutoff}; null when none is. */
    Long lastSeqBefore(Tx tx, long roomId, Instant cutoff) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM messages WHERE room_id = ? AND sent_at < ?")) {
                ps.setLong(1, roomId);
                ps.setObject(2, UtcTimes.toColumn(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }

    /**
     * Deletes the room's oldest {@code limit} messages at or before {@code lastSeq}, with their edit history,
     * reactions, mentions, and the read receipts they cover.
     */
    PurgedBatch deleteOldest(Tx tx, long roomId, long lastSeq, int limit) {
        return tx.jdbc(c -> {
            long maxSeq = 0;
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seq FROM messages WHERE room_id = ? AND seq <= ? "
                    + "ORDER BY seq LIMIT " + limit)) {
                ps.setLong(1, roomId);
                ps.setLong(2, lastSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        maxSeq = Math.max(maxSeq, rs.getLong(2));
                    }
                }
            }
            if (ids.isEmpty()) {
                return new PurgedBatch(List.of(), 0, 0, 0);
            }
            String in = String.join(",", ids.stream().map(String::valueOf).toList());
            long versions = exec(c, "DELETE FROM message_versions WHERE message_id IN (" + in + ")");
            exec(c, "DELETE FROM message_reactions WHERE message_id IN (" + in + ")");
            exec(c, "DELETE FROM message_mentions WHERE room_id = " + roomId + " AND seq <= " + maxSeq
                    + " AND message_id IN (" + in + ")");
            long receipts = exec(c, "DELETE FROM read_receipts WHERE room_id = " + roomId + " AND up_to_seq <= " + maxSeq);
            long messages = exec(c, "DELETE FROM messages WHERE id IN (" + in + ")");
            return new PurgedBatch(ids, messages, versions, receipts);
        });
    }

    // ---------------------------------------------------------------- JDBC

    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long v = rs.getLong(1);
                if (!rs.wasNull()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static long exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.executeUpdate();
        }
    }

    private static Integer toInt(Long v) {
        return v == null ? null : Math.toIntExact(v);
    }

    private static Long queryLong(Tx tx, String sql, long id) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }
}
