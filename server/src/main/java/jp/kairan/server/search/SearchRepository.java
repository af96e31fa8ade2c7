package jp.kairan.server.search;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * Search's SQL: the outbox rows, the messages the indexer loads (by id, or page by page for a rebuild), and the
 * re-checks of a search against the database (which rooms a user may read, which hits are still live). Id lists
 * are inlined as numbers, never as text from a request. Every method joins the caller's transaction. Stateless.
 */
final class SearchRepository {
    private static final String MESSAGE_COLUMNS = "id, room_id, sender_id, body, sent_at, deleted_at, mentions, mention_all";

    /** An outbox row: a message whose searchable state changed, and when. */
    record OutboxRow(long id, long messageId, Instant createdAt) {
    }

    /** A hit's message as it is now, with what the result shows of its room and sender. */
    record HitRow(long id, long roomId, long seq, long senderId, String senderName, String body, Instant sentAt,
                  Instant editedAt, boolean direct, String roomName) {
    }

    /** Records that these messages changed, in the caller's transaction. */
    void recordChanged(Tx tx, Collection<Long> messageIds, Instant at) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO search_outbox (message_id, created_at) VALUES (?, ?)")) {
                for (long id : messageIds) {
                    ps.setLong(1, id);
                    ps.setObject(2, UtcTimes.toColumn(at));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The oldest {@code limit} outbox rows, in id order. */
    List<OutboxRow> outbox(Tx tx, int limit) {
        return tx.jdbc(c -> {
            List<OutboxRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, message_id, created_at FROM search_outbox ORDER BY id LIMIT " + limit);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxRow(rs.getLong(1), rs.getLong(2), UtcTimes.read(rs, 3)));
                }
            }
            return out;
        });
    }

    /** Deletes the outbox rows applied, by id. */
    void deleteOutbox(Tx tx, Collection<OutboxRow> rows) {
        String ids = rows.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(","));
        tx.update("DELETE FROM search_outbox WHERE id IN (" + ids + ")");
    }

    /** The live ones of these messages (body present, not deleted), as indexed. */
    List<SearchIndex.Doc> liveMessages(Tx tx, Set<Long> ids) {
        String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id IN (" + in + ")")) {
                return docs(ps);
            }
        });
    }

    /** Up to {@code limit} live messages with an id above {@code afterId}, in id order; for a rebuild. */
    List<SearchIndex.Doc> liveMessagesAfter(Tx tx, long afterId, int limit) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id > ? "
                    + "AND body IS NOT NULL AND deleted_at IS NULL ORDER BY id LIMIT " + limit)) {
                ps.setLong(1, afterId);
                return docs(ps);
            }
        });
    }

    /** The rooms of the organization that the user is a member of. */
    Set<Long> memberRooms(Tx tx, long userId, long orgId) {
        return ids(tx, "SELECT m.room_id FROM room_members m JOIN rooms r ON r.id = m.room_id "
                + "WHERE m.user_id = ? AND r.org_id = ?", userId, orgId);
    }

    /** Every room of the organization. */
    Set<Long> orgRooms(Tx tx, long orgId) {
        return ids(tx, "SELECT id FROM rooms WHERE org_id = ?", orgId);
    }

    /** These messages as they are now, by id; deleted and purged ones are left out. */
    Map<Long, HitRow> liveHits(Tx tx, Collection<Long> messageIds) {
        String in = messageIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        Map<Long, HitRow> rows = new HashMap<>();
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.room_id, m.seq, m.sender_id, u.display_name, m.body, "
                    + "m.sent_at, m.edited_at, r.kind, r.name FROM messages m JOIN rooms r ON r.id = m.room_id "
                    + "LEFT JOIN users u ON u.id = m.sender_id WHERE m.id IN (" + in + ") AND m.body IS NOT NULL AND m.deleted_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new HitRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), UtcTimes.read(rs, 7), UtcTimes.read(rs, 8), "direct".equals(rs.getString(9)),
                            rs.getString(10)));
                }
            }
            return null;
        });
        return rows;
    }

    /** The display names of the members of these rooms other than {@code viewerId}, by room, in name order. */
    Map<Long, List<String>> otherMemberNames(Tx tx, long viewerId, Set<Long> roomIds) {
        String in = roomIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        Map<Long, List<String>> names = new HashMap<>();
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT rm.room_id, rm.user_id, u.display_name FROM room_members rm "
                    + "JOIN users u ON u.id = rm.user_id WHERE rm.room_id IN (" + in + ") ORDER BY rm.room_id, u.display_name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) != viewerId) {
                        names.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(3));
                    }
                }
            }
            return null;
        });
        return names;
    }

    private static List<SearchIndex.Doc> docs(PreparedStatement ps) throws SQLException {
        List<SearchIndex.Doc> docs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String body = rs.getString(4);
                if (body == null || UtcTimes.read(rs, 6) != null) {
                    continue;
                }
                String mentions = rs.getString(7);
                List<Long> mentioned = mentions == null || mentions.isBlank() ? List.of()
                        : Arrays.stream(mentions.split(",")).map(String::strip).map(Long::parseLong).toList();
                docs.add(new SearchIndex.Doc(rs.getLong(1), rs.getLong(2), rs.getLong(3), UtcTimes.read(rs, 5), body,
                        mentioned, rs.getBoolean(8)));
            }
        }
        return docs;
    }

    private static Set<Long> ids(Tx tx, String sql, Object... args) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                Set<Long> out = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
                return out;
            }
        });
    }
}
