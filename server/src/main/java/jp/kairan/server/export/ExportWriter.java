package jp.kairan.server.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.UtcTimes;

/**
 * Writes one export archive: per room a JSON Lines file, a CSV file that Japanese Excel opens (UTF-8 with BOM,
 * CRLF) and a readable HTML transcript, then the manifest of every file's SHA-256 and its JWS. Messages are read in
 * pages of {@value #PAGE} by sequence number, so a room of any size takes the same memory. Not thread-safe; one per
 * export.
 */
final class ExportWriter {
    static final int PAGE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter JST = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.of("Asia/Tokyo"));

    /** A room in the export. */
    record Room(long id, String name) {
    }

    /** A file written into the archive. */
    record Entry(String path, String sha256, long bytes) {
    }

    private record Message(long id, long seq, long senderId, String senderName, String text, Instant sentAt, Instant editedAt,
                           Instant deletedAt) {
    }

    private record Version(int version, String text, Instant replacedAt, String reason) {
    }

    private final Database db;
    private final Instant from;
    private final Instant to;
    private final ZipOutputStream zip;
    private final List<Entry> entries = new ArrayList<>();
    private long messages;

    ExportWriter(Database db, Instant from, Instant to, ZipOutputStream zip) {
        this.db = db;
        this.from = from;
        this.to = to;
        this.zip = zip;
    }

    long messages() {
        return messages;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Writes the room's three files. */
    void room(Room room) throws IOException {
        Map<Long, List<long[]>> receipts = receipts(room.id());
        long before = messages;
        entry("rooms/" + room.id() + "/messages.jsonl", out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            forEachMessage(room, receipts, (m, versions, readers) -> {
                ObjectNode line = JSON.createObjectNode();
                line.put("roomId", Long.toString(room.id())).put("roomName", room.name()).put("seq", m.seq())
                        .put("messageId", Long.toString(m.id())).put("senderId", Long.toString(m.senderId()))
                        .put("senderName", m.senderName()).put("sentAt", m.sentAt().toString()).put("text", m.text())
                        .put("editedAt", m.editedAt() == null ? null : m.editedAt().toString())
                        .put("deleted", m.deletedAt() != null).put("deletedAt", m.deletedAt() == null ? null : m.deletedAt().toString());
                ArrayNode edits = line.putArray("earlierVersions");
                for (Version v : versions) {
                    edits.addObject().put("version", v.version()).put("text", v.text()).put("replacedAt", v.replacedAt().toString())
                            .put("reason", v.reason());
                }
                ArrayNode rs = line.putArray("readers");
                for (Map.Entry<Long, Instant> r : readers.entrySet()) {
                    rs.addObject().put("userId", Long.toString(r.getKey())).put("readAt", r.getValue().toString());
                }
                w.write(JSON.writeValueAsString(line));
                w.write('\n');
                messages++;
            });
            w.flush();
        });
        long count = messages - before;
        entry("rooms/" + room.id() + "/messages.csv", out -> {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csv(w, "ルームID", "ルーム名", "番号", "メッセージID", "送信者ID", "送信者", "送信日時（日本時間）", "本文", "編集日時", "削除",
                    "既読者数", "既読者（ユーザーID:既読日時）");
            forEachMessage(room, receipts, (m, versions, readers) -> {
                StringBuilder who = new StringBuilder();
                for (Map.Entry<Long, Instant> r : readers.entrySet()) {
                    who.append(who.length() == 0 ? "" : " ").append(r.getKey()).append(':').append(JST.format(r.getValue()));
                }
                csv(w, Long.toString(room.id()), room.name(), Long.toString(m.seq()), Long.toString(m.id()), Long.toString(m.senderId()),
                        m.senderName(), JST.format(m.sentAt()), m.text() == null ? "" : m.text(),
                        m.editedAt() == null ? "" : JST.format(m.editedAt()), m.deletedAt() == null ? "" : "削除済み",
                        Integer.toString(readers.size()), who.toString());
            });
            w.flush();
        });
        entry("rooms/" + room.id() + "/transcript.html", out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" + html(room.name()) + "</title>"
                    + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
                    + ".m{border-bottom:1px solid #ddd;padding:.4em 0}.h{color:#555;font-size:.85em}.d{color:#a00}"
                    + "pre{white-space:pre-wrap;margin:.2em 0;font-family:inherit}</style></head><body>\n");
            w.write("<h1>" + html(room.name()) + "</h1>\n<p>" + html(JST.format(from)) + " – " + html(JST.format(to))
                    + "（日本時間） / " + count + " 件</p>\n");
            forEachMessage(room, receipts, (m, versions, readers) -> {
                w.write("<div class=\"m\" id=\"s" + m.seq() + "\"><div class=\"h\">#" + m.seq() + " " + html(m.senderName()) + " "
                        + html(JST.format(m.sentAt())) + (m.editedAt() != null ? "（編集 " + html(JST.format(m.editedAt())) + "）" : "")
                        + " 既読 " + readers.size() + "</div>");
                w.write(m.deletedAt() != null ? "<div class=\"d\">（削除されたメッセージ）</div>" : "<pre>" + html(m.text()) + "</pre>");
                for (Version v : versions) {
                    w.write("<div class=\"h\">" + ("delete".equals(v.reason()) ? "削除前" : "編集前") + "（" + html(JST.format(v.replacedAt()))
                            + "）:</div><pre>" + html(v.text()) + "</pre>");
                }
                w.write("</div>\n");
            });
            w.write("</body></html>\n");
            w.flush();
        });
    }

    /** Writes a file that is not a room's (the manifest, its signature, the keys). */
    void file(String path, byte[] content, boolean listed) throws IOException {
        entry(path, out -> out.write(content), listed);
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private void entry(String path, Body body) throws IOException {
        entry(path, body, true);
    }

    private void entry(String path, Body body, boolean listed) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        zip.putNextEntry(new ZipEntry(path));
        long[] bytes = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                zip.write(b);
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                zip.write(b, off, len);
                bytes[0] += len;
            }
        };
        DigestOutputStream out = new DigestOutputStream(counting, sha);
        body.write(new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // the zip entry stays open until closeEntry
            }
        });
        out.flush();
        zip.closeEntry();
        if (listed) {
            entries.add(new Entry(path, HexFormat.of().formatHex(sha.digest()), bytes[0]));
        }
    }

    private interface MessageSink {
        void accept(Message m, List<Version> earlier, Map<Long, Instant> readers) throws IOException;
    }

    /**
     * Every message of the room in the range, in seq order, a page at a time. Sequence numbers grow with the time
     * messages are stored, so the range is turned into a range of seqs first and the pages walk the (room, seq) key.
     */
    private void forEachMessage(Room room, Map<Long, List<long[]>> receipts, MessageSink sink) throws IOException {
        long[] seqs = seqRange(room.id());
        long after = seqs[0] - 1;
        long last = seqs[1];
        while (after < last) {
            long afterSeq = after;
            List<Message> page = db.call(tx -> tx.jdbc(c -> {
                List<Message> out = new ArrayList<>(PAGE);
                // Only the room's seq key: a range of it in its order, read PAGE rows at a time (no join, no sort).
                try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, sender_id, body, sent_at, edited_at, deleted_at "
                        + "FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT " + PAGE)) {
                    ps.setLong(1, room.id());
                    ps.setLong(2, afterSeq);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && rs.getLong(2) <= last) {
                            long sender = rs.getLong(3);
                            out.add(new Message(rs.getLong(1), rs.getLong(2), sender, name(c, sender), rs.getString(4),
                                    UtcTimes.read(rs, 5), UtcTimes.read(rs, 6), UtcTimes.read(rs, 7)));
                        }
                    }
                }
                return out;
            }));
            if (page.isEmpty()) {
                return;
            }
            Map<Long, List<Version>> versions = versions(page);
            for (Message m : page) {
                sink.accept(m, versions.getOrDefault(m.id(), List.of()), readers(m, receipts));
                after = m.seq();
            }
        }
    }

    private final Map<Long, String> names = new HashMap<>();

    /** A sender's display name, read once per export. */
    private String name(java.sql.Connection c, long userId) throws java.sql.SQLException {
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

    /** The first and last seq of the room's messages sent in [from, to); {1, 0} when there are none. */
    private long[] seqRange(long roomId) {
        return db.call(tx -> tx.jdbc(c -> {
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
        }));
    }

    private Map<Long, List<Version>> versions(List<Message> page) {
        List<Long> changed = page.stream().filter(m -> m.editedAt() != null || m.deletedAt() != null).map(Message::id).toList();
        if (changed.isEmpty()) {
            return Map.of();
        }
        return db.call(tx -> tx.jdbc(c -> {
            Map<Long, List<Version>> out = new HashMap<>();
            String in = String.join(",", changed.stream().map(String::valueOf).toList());
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id, version, body, replaced_at, reason FROM message_versions "
                    + "WHERE message_id IN (" + in + ") ORDER BY message_id, version")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new Version(rs.getInt(2), rs.getString(3), UtcTimes.read(rs, 4), rs.getString(5)));
                    }
                }
            }
            return out;
        }));
    }

    /** Each member's read moves in the room: user → [up_to_seq, read_at epoch micros], in order. */
    private Map<Long, List<long[]>> receipts(long roomId) {
        return db.call(tx -> tx.jdbc(c -> {
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
        }));
    }

    /** Who read the message and when: each member's first read move at or beyond its seq (the sender excluded). */
    private static Map<Long, Instant> readers(Message m, Map<Long, List<long[]>> receipts) {
        Map<Long, Instant> out = new java.util.TreeMap<>();
        for (Map.Entry<Long, List<long[]>> e : receipts.entrySet()) {
            if (e.getKey() == m.senderId()) {
                continue;
            }
            for (long[] r : e.getValue()) {
                if (r[0] >= m.seq()) {
                    out.put(e.getKey(), Instant.ofEpochSecond(r[1] / 1_000_000, (r[1] % 1_000_000) * 1_000));
                    break;
                }
            }
        }
        return out;
    }

    private static void csv(Writer w, String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            String f = fields[i] == null ? "" : fields[i];
            // A leading = + - @ would run as a formula in Excel: keep it text.
            if (!f.isEmpty() && "=+-@".indexOf(f.charAt(0)) >= 0) {
                f = "'" + f;
            }
            w.write('"');
            w.write(f.replace("\"", "\"\""));
            w.write('"');
        }
        w.write("\r\n");
    }

    private static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

}
