package jp.kairan.server.export;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.kairan.server.store.Database;

/**
 * Reads an export's rows room by room: every message of the room in the export's time range, in seq order, a page
 * of {@value #PAGE} per transaction, with its earlier versions and who read it when. A room of any size takes the
 * same memory. Each page is read on a database thread and handed to the {@link Sink} on the calling thread, so the
 * formatting never runs inside a transaction. Not thread-safe; one per export (it caches sender names).
 */
final class ExportRows {
    static final int PAGE = 1_000;

    /** A room in the export. */
    record Room(long id, String name) {
    }

    /** A message as exported. */
    record Message(long id, long seq, long senderId, String senderName, String text, Instant sentAt, Instant editedAt,
                   Instant deletedAt) {
    }

    /** An earlier version of an edited or deleted message. */
    record Version(int version, String text, Instant replacedAt, String reason) {
    }

    /** Takes each message with its earlier versions and its readers (user id → read at, by user id). */
    interface Sink {
        void accept(Message m, List<Version> earlier, Map<Long, Instant> readers) throws IOException;
    }

    private final Database db;
    private final ExportRowRepository repository = new ExportRowRepository();
    private final Instant from;
    private final Instant to;
    private final Map<Long, String> names = new HashMap<>();

    ExportRows(Database db, Instant from, Instant to) {
        this.db = db;
        this.from = from;
        this.to = to;
    }

    /** The room's read moves, read once and passed to each {@link #forEach} over the room. */
    Map<Long, List<long[]>> receipts(long roomId) {
        return db.call(tx -> repository.receipts(tx, roomId));
    }

    /**
     * Every message of the room in the range, in seq order, a page at a time. Sequence numbers grow with the time
     * messages are stored, so the range is turned into a range of seqs first and the pages walk the (room, seq) key.
     */
    void forEach(Room room, Map<Long, List<long[]>> receipts, Sink sink) throws IOException {
        long[] seqs = db.call(tx -> repository.seqRange(tx, room.id(), from, to));
        long after = seqs[0] - 1;
        long last = seqs[1];
        while (after < last) {
            long afterSeq = after;
            List<Message> page = db.call(tx -> repository.page(tx, room.id(), afterSeq, last, PAGE, names));
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

    private Map<Long, List<Version>> versions(List<Message> page) {
        List<Long> changed = page.stream().filter(m -> m.editedAt() != null || m.deletedAt() != null).map(Message::id).toList();
        if (changed.isEmpty()) {
            return Map.of();
        }
        return db.call(tx -> repository.versions(tx, changed));
    }

    /** Who read the message and when: each member's first read move at or beyond its seq (the sender excluded). */
    private static Map<Long, Instant> readers(Message m, Map<Long, List<long[]>> receipts) {
        Map<Long, Instant> out = new TreeMap<>();
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
}
