package jp.kairan.server.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * The rows an export reads, in SQL: a room's seq range for the time range, its messages a page at a time along the
 * (room, seq) key, the earlier versions of edited or deleted ones, and the room's read receipts. Every method joins
 * the caller's transaction. Stateless and thread-safe; the caller owns the sender-name cache it passes in.
 */
final class ExportRowRepository {

    /** The first and last seq of the room's messages sent in [from, to); {1, 0} when there are none. */
    long[] seqRange(Tx tx, long roomId, Instant from, Instant to) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MIN(seq), MAX(seq) FROM messages WHERE room_id = ? AND sent_at >= ? AND sent_at < ?")) {
                ps.setLong(1, roomId);
                ps.setObject(2, UtcTimes.toColumn(from));
                ps.setObject(3, UtcTimes.toColumn(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long min = rs.getLong(1);
                    return rs.wasNull() ? new long[] {1, 0} : new long[] {min, rs.getLong(2)};
                }
            }
        });
    }

    /**
     * Up to {@code limit} of the room's messages after {@code afterSeq} and at most {@code lastSeq}, in seq order,
     * with their senders' display names (looked up once per export through {@code names}).
     */
    List<ExportRows.Message> page(Tx tx, long roomId, long afterSeq, long lastSeq, int limit, Map<Long, String> names) {
        return tx.jdbc(c -> {
            List<ExportRows.Message> out = new ArrayList<>(limit);
            // Only the room's seq key: a range of it in its order, read limit rows at a time (no join, no sort).
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, sender_id, body, sent_at, edited_at, deleted_at "
                    + "FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT " + limit)) {
                ps.setLong(1, roomId);
                ps.setLong(2, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && rs.getLong(2) <= lastSeq) {
                        long sender = rs.getLong(3);
                        out.add(new ExportRows.Message(rs.getLong(1), rs.getLong(2), sender, name(c, sender, names), rs.getString(4),
                                UtcTimes.read(rs, 5), UtcTimes.read(rs, 6), UtcTimes.read(rs, 7)));
                    }
                }
            }
            return out;
        });
    }

    /** The earlier versions of these messages, oldest first per message. */
    Map<Long, List<ExportRows.Version>> versions(Tx tx, Collection<Long> messageIds) {
        return tx.jdbc(c -> {
            Map<Long, List<ExportRows.Version>> out = new HashMap<>();
            String in = String.join(",", messageIds.stream().map(String::valueOf).toList());
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id, version, body, replaced_at, reason FROM message_versions "
                    + "WHERE message_id IN (" + in + ") ORDER BY message_id, version")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new ExportRows.Version(rs.getInt(2), rs.getString(3), UtcTimes.read(rs, 4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /** Each member's read moves in the room: user → [up_to_seq, read_at epoch micros], in order. */
    Map<Long, List<long[]>> receipts(Tx tx, long roomId) {
        return tx.jdbc(c -> {
            Map<Long, List<long[]>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id, up_to_seq, read_at FROM read_receipts WHERE room_id = ? ORDER BY user_id, up_to_seq")) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant at = UtcTimes.read(rs, 3);
                        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new long[] {rs.getLong(2), at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000});
                    }
                }
            }
            return out;
        });
    }

    /** A sender's display name, from {@code names} or read once into it. */
    private static String name(Connection c, long userId, Map<Long, String> names) throws SQLException {
        String known = names.get(userId);
        if (known != null) {
            return known;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT display_name FROM users WHERE id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                String name = rs.next() ? rs.getString(1) : "";
                names.put(userId, name);
                return name;
            }
        }
    }
}
