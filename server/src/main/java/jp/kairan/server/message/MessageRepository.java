package jp.kairan.server.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/** Messages, versions, mentions, reactions and receipts in SQL. Every method joins the caller's transaction. */
final class MessageRepository {
    private static final String COLUMNS = "m.id, m.room_id, m.seq, m.sender_id, u.display_name, m.body, m.sent_at, "
            + "m.edited_at, m.deleted_at, m.reply_to_id, m.mentions, m.mention_all";
    private static final String FROM = " FROM messages m LEFT JOIN users u ON u.id = m.sender_id ";

    /** A message row, before reactions and the quoted message are attached. */
    record Row(long id, long roomId, long seq, long senderId, String senderName, String body, Instant sentAt,
               Instant editedAt, Instant deletedAt, Long replyToId, String mentions, boolean mentionAll) {
    }

    /** The columns a send stores. */
    record NewMessage(long id, long roomId, long seq, long senderId, String clientKey, String body, Instant sentAt,
                      Long replyToId, String mentions, boolean mentionAll) {
        /** As read back: what the members see of it. */
        Row row(String senderName) {
            return new Row(id, roomId, seq, senderId, senderName, body, sentAt, null, null, replyToId, mentions, mentionAll);
        }
    }

    /** An earlier send found by its idempotency key. */
    record Earlier(long id, long roomId, long seq, long senderId, String clientKey, String body, Instant sentAt) {
        /** Enough of it to acknowledge a retry: no reply, mentions or reactions. */
        Row row(String senderName) {
            return new Row(id, roomId, seq, senderId, senderName, body, sentAt, null, null, null, null, false);
        }
    }

    /** A message's facts needed to authorize a change, read under a row lock. */
    record Target(long id, long roomId, long seq, long senderId, String body, int version, Instant deletedAt) {
    }

    List<Earlier> findByKeys(Tx tx, Collection<String> clientKeys) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, room_id, seq, sender_id, client_key, body, sent_at "
                    + "FROM messages WHERE client_key IN (" + marks(clientKeys.size()) + ")")) {
                int i = 1;
                for (String k : clientKeys) {
                    ps.setString(i++, k);
                }
                List<Earlier> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Earlier(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                                rs.getString(6), UtcTimes.read(rs, 7)));
                    }
                }
                return found;
            }
        });
    }

    /** Locks the rooms (in id order, so concurrent batches never deadlock) and returns their last seqs. */
    Map<Long, Long> lockRooms(Tx tx, Collection<Long> roomIds) {
        List<Long> sorted = new ArrayList<>(roomIds);
        Collections.sort(sorted);
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, last_seq FROM rooms WHERE id IN ("
                    + marks(sorted.size()) + ") ORDER BY id FOR UPDATE")) {
                setLongs(ps, 1, sorted);
                Map<Long, Long> last = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last.put(rs.getLong(1), rs.getLong(2));
                    }
                }
                return last;
            }
        });
    }

    void insert(Tx tx, List<NewMessage> messages, Map<Long, List<Long>> mentionRows) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (id, room_id, seq, sender_id, "
                    + "client_key, body, sent_at, edited_at, deleted_at, reply_to_id, mentions, mention_all, version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, 0)")) {
                for (NewMessage m : messages) {
                    ps.setLong(1, m.id());
                    ps.setLong(2, m.roomId());
                    ps.setLong(3, m.seq());
                    ps.setLong(4, m.senderId());
                    ps.setString(5, m.clientKey());
                    ps.setString(6, m.body());
                    ps.setObject(7, UtcTimes.toColumn(m.sentAt()));
                    ps.setObject(8, m.replyToId());
                    ps.setString(9, m.mentions());
                    ps.setBoolean(10, m.mentionAll());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!mentionRows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_mentions (user_id, room_id, seq, "
                        + "message_id) VALUES (?, ?, ?, ?)")) {
                    for (NewMessage m : messages) {
                        for (long userId : mentionRows.getOrDefault(m.id(), List.of())) {
                            ps.setLong(1, userId);
                            ps.setLong(2, m.roomId());
                            ps.setLong(3, m.seq());
                            ps.setLong(4, m.id());
                            ps.addBatch();
                        }
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * Moves each sender's read position to their newest message of the batch (sending a message means one
     * has read the room up to it) and records the receipt. A new message's seq is the room's newest, so the
     * position always moves forward.
     */
    void markSendersRead(Tx tx, Map<List<Long>, Long> seqByRoomAndSender, Instant at) {
        tx.jdbc(c -> {
            try (PreparedStatement moved = c.prepareStatement("UPDATE room_members SET read_seq = ?, read_at = ? "
                    + "WHERE room_id = ? AND user_id = ? AND read_seq < ?");
                 PreparedStatement receipt = c.prepareStatement("INSERT INTO read_receipts (room_id, user_id, up_to_seq, "
                         + "read_at) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<List<Long>, Long> e : seqByRoomAndSender.entrySet()) {
                    long roomId = e.getKey().get(0);
                    long userId = e.getKey().get(1);
                    moved.setLong(1, e.getValue());
                    moved.setObject(2, UtcTimes.toColumn(at));
                    moved.setLong(3, roomId);
                    moved.setLong(4, userId);
                    moved.setLong(5, e.getValue());
                    moved.addBatch();
                    receipt.setLong(1, roomId);
                    receipt.setLong(2, userId);
                    receipt.setLong(3, e.getValue());
                    receipt.setObject(4, UtcTimes.toColumn(at));
                    receipt.addBatch();
                }
                moved.executeBatch();
                receipt.executeBatch();
            }
            return null;
        });
    }

    void raiseLastSeq(Tx tx, Map<Long, Long> lastSeqByRoom, Instant at) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE rooms SET last_seq = ?, last_message_at = ? WHERE id = ?")) {
                for (Map.Entry<Long, Long> e : lastSeqByRoom.entrySet()) {
                    ps.setLong(1, e.getValue());
                    ps.setObject(2, UtcTimes.toColumn(at));
                    ps.setLong(3, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Messages by id (any room); the caller checks rooms. */
    Map<Long, Row> byIds(Tx tx, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + "WHERE m.id IN (" + marks(ids.size()) + ")")) {
                setLongs(ps, 1, ids);
                Map<Long, Row> rows = new HashMap<>();
                for (Row r : rows(ps)) {
                    rows.put(r.id(), r);
                }
                return rows;
            }
        });
    }

    /** Up to {@code limit} messages after {@code afterSeq}, oldest first. */
    List<Row> after(Tx tx, long roomId, long afterSeq, int limit) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM
                    + "WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?")) {
                ps.setLong(1, roomId);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                return rows(ps);
            }
        });
    }

    /** Up to {@code limit} messages before {@code beforeSeq}, oldest first. */
    List<Row> before(Tx tx, long roomId, long beforeSeq, int limit) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM
                    + "WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?")) {
                ps.setLong(1, roomId);
                ps.setLong(2, beforeSeq);
                ps.setInt(3, limit);
                List<Row> rows = rows(ps);
                Collections.reverse(rows);
                return rows;
            }
        });
    }

    /** The messages at the given seqs of the given rooms (room id → seq). */
    List<Row> at(Tx tx, Map<Long, Long> seqByRoom) {
        if (seqByRoom.isEmpty()) {
            return List.of();
        }
        return tx.jdbc(c -> {
            String where = seqByRoom.keySet().stream().map(r -> "(m.room_id = ? AND m.seq = ?)").collect(Collectors.joining(" OR "));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + "WHERE " + where)) {
                int i = 1;
                for (Map.Entry<Long, Long> e : seqByRoom.entrySet()) {
                    ps.setLong(i++, e.getKey());
                    ps.setLong(i++, e.getValue());
                }
                return rows(ps);
            }
        });
    }

    /** Reactions of these messages: message id → emoji → user ids in order of reacting. */
    Map<Long, Map<String, List<String>>> reactions(Tx tx, Collection<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return Map.of();
        }
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id, emoji, user_id FROM message_reactions "
                    + "WHERE message_id IN (" + marks(messageIds.size()) + ") ORDER BY created_at, user_id")) {
                setLongs(ps, 1, messageIds);
                Map<Long, Map<String, List<String>>> all = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(Long.toString(rs.getLong(3)));
                    }
                }
                return all;
            }
        });
    }

    long lastSeq(Tx tx, long roomId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM rooms WHERE id = ?")) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    Optional<Target> lockTarget(Tx tx, long messageId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, room_id, seq, sender_id, body, version, deleted_at "
                    + "FROM messages WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Target(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getString(5), rs.getInt(6), UtcTimes.read(rs, 7))) : Optional.empty();
                }
            }
        });
    }

    /** Keeps the text being replaced, then replaces it ({@code body} null deletes). */
    void replaceBody(Tx tx, Target target, String body, Instant at, boolean delete) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_versions (message_id, version, body, "
                    + "replaced_at, reason) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, target.id());
                ps.setInt(2, target.version());
                ps.setString(3, target.body());
                ps.setObject(4, UtcTimes.toColumn(at));
                ps.setString(5, delete ? "delete" : "edit");
                ps.executeUpdate();
            }
            String sql = delete
                    ? "UPDATE messages SET body = NULL, deleted_at = ?, version = version + 1 WHERE id = ?"
                    : "UPDATE messages SET body = ?, edited_at = ?, version = version + 1 WHERE id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (!delete) {
                    ps.setString(i++, body);
                }
                ps.setObject(i++, UtcTimes.toColumn(at));
                ps.setLong(i, target.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    int distinctEmoji(Tx tx, long messageId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT emoji) FROM message_reactions WHERE message_id = ?")) {
                ps.setLong(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    boolean addReaction(Tx tx, long messageId, long userId, String emoji, Instant at) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM message_reactions WHERE message_id = ? "
                    + "AND user_id = ? AND emoji = ?")) {
                ps.setLong(1, messageId);
                ps.setLong(2, userId);
                ps.setString(3, emoji);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            return update(c, "INSERT INTO message_reactions (message_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?)",
                    messageId, userId, emoji, UtcTimes.toColumn(at)) == 1;
        });
    }

    boolean removeReaction(Tx tx, long messageId, long userId, String emoji) {
        return tx.jdbc(c -> update(c, "DELETE FROM message_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?",
                messageId, userId, emoji) == 1);
    }

    /** Moves a member's read seq forward; false when it was already there or beyond. */
    boolean markRead(Tx tx, long roomId, long userId, long seq, Instant at) {
        return tx.jdbc(c -> {
            int moved = update(c, "UPDATE room_members SET read_seq = ?, read_at = ? WHERE room_id = ? AND user_id = ? "
                    + "AND read_seq < ?", seq, UtcTimes.toColumn(at), roomId, userId, seq);
            if (moved == 1) {
                update(c, "INSERT INTO read_receipts (room_id, user_id, up_to_seq, read_at) VALUES (?, ?, ?, ?)",
                        roomId, userId, seq, UtcTimes.toColumn(at));
            }
            return moved == 1;
        });
    }

    /** When each user first read up to {@code seq} or beyond. */
    Map<Long, Instant> readTimes(Tx tx, long roomId, long seq) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, MIN(read_at) FROM read_receipts "
                    + "WHERE room_id = ? AND up_to_seq >= ? GROUP BY user_id")) {
                ps.setLong(1, roomId);
                ps.setLong(2, seq);
                Map<Long, Instant> times = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        times.put(rs.getLong(1), UtcTimes.read(rs, 2));
                    }
                }
                return times;
            }
        });
    }

    /** Unread mentions of a user per room. */
    Map<Long, Long> unreadMentions(Tx tx, long userId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT mm.room_id, COUNT(*) FROM message_mentions mm "
                    + "JOIN room_members rm ON rm.room_id = mm.room_id AND rm.user_id = mm.user_id "
                    + "WHERE mm.user_id = ? AND mm.seq > rm.read_seq GROUP BY mm.room_id")) {
                ps.setLong(1, userId);
                Map<Long, Long> counts = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getLong(1), rs.getLong(2));
                    }
                }
                return counts;
            }
        });
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long reply = rs.getLong(10);
                Long replyTo = rs.wasNull() ? null : reply;
                rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), UtcTimes.read(rs, 7), UtcTimes.read(rs, 8), UtcTimes.read(rs, 9),
                        replyTo, rs.getString(11), rs.getBoolean(12)));
            }
        }
        return rows;
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    private static void setLongs(PreparedStatement ps, int from, Collection<Long> values) throws SQLException {
        int i = from;
        for (long v : values) {
            ps.setLong(i++, v);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
