package jp.kairan.bench;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the gateway bench saw: every send, ack, delivery and error, kept across connections so that loss,
 * duplicates and order can be judged per room and receiver, and latencies go into one histogram each.
 *
 * <p>A message's text carries its sender's send time ({@link #text}); a delivery's latency is its arrival time
 * (Gatling's receive timestamp, whole milliseconds) minus that. Latencies and rates count only messages
 * <em>sent</em> inside the measured window; loss, duplicates and order count every message of the run.
 *
 * <p>Thread-safe. One {@link Member}'s methods are called by its virtual user only (one at a time); rooms and
 * the totals are shared.
 */
final class Ledger {
    private static final String TEXT_PREFIX = "bench ";

    private final Recorder deliverMicros = new Recorder(3);
    private final Recorder ackMicros = new Recorder(3);
    private final Recorder readyMicros = new Recorder(3);
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> otherFrames = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder ackedDuplicate = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder orderViolations = new LongAdder();
    private final LongAdder foreign = new LongAdder();
    private final LongAdder sentInWindow = new LongAdder();
    private final LongAdder ackedInWindow = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();
    private volatile long sendStartMicros = Long.MAX_VALUE;
    private volatile long windowFromMicros = Long.MAX_VALUE;
    private volatile long windowToMicros = Long.MAX_VALUE;

    /** Adds a room whose messages before this run end at {@code baseSeq} (0 for a new room). */
    Room room(String roomId, long baseSeq) {
        return rooms.computeIfAbsent(roomId, id -> new Room(id, baseSeq));
    }

    /**
     * Connections must be ready by {@code sendStartMicros} to be judged; latencies and rates count messages sent
     * in {@code [fromMicros, toMicros)}. All epoch microseconds.
     */
    void timeline(long sendStartMicros, long fromMicros, long toMicros) {
        this.sendStartMicros = sendStartMicros;
        this.windowFromMicros = fromMicros;
        this.windowToMicros = toMicros;
    }

    /** The text of a bench message: sender, its counter and its send time, readable by {@link #sendMicros}. */
    static String text(int sender, long counter, long sendMicros) {
        return TEXT_PREFIX + sender + " " + counter + " " + sendMicros;
    }

    /** The send time in a bench message's text, or -1 for any other text. */
    static long sendMicros(String text) {
        if (text == null || !text.startsWith(TEXT_PREFIX)) {
            return -1;
        }
        int last = text.lastIndexOf(' ');
        try {
            return Long.parseLong(text, last + 1, text.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void error(String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** A frame the bench does not judge (presence, member events, ...), counted by type. */
    void other(String type) {
        otherFrames.computeIfAbsent(type, c -> new LongAdder()).increment();
    }

    private boolean inWindow(long sendMicros) {
        return sendMicros >= windowFromMicros && sendMicros < windowToMicros;
    }

    /** One room: its members and the seqs its senders got acks for. */
    final class Room {
        final String id;
        final long baseSeq;
        private final BitSet ackedSeqs = new BitSet();
        private final Map<Integer, Integer> senderOf = new HashMap<>();
        private final List<Member> members = new CopyOnWriteArrayList<>();

        private Room(String id, long baseSeq) {
            this.id = id;
            this.baseSeq = baseSeq;
        }

        Member member(int index) {
            Member m = new Member(index, this);
            members.add(m);
            return m;
        }

        private synchronized void acked(long seq, int sender) {
            if (seq > baseSeq) {
                ackedSeqs.set((int) (seq - baseSeq));
                senderOf.put((int) (seq - baseSeq), sender);
            }
        }
    }

    /** One connection (one user in one room): what it sent and what it received. */
    final class Member {
        final int index;
        final Room room;
        private final Map<String, Long> pending = new ConcurrentHashMap<>();
        private final BitSet received = new BitSet();
        private long lastSeq;
        private long counter;
        private volatile boolean ready;
        /** Ready only after the first message may have been sent: not judged for loss or order. */
        private volatile boolean late;
        /** Gatling marked the connection failed after it was ready (it was closed, a send failed). */
        private volatile boolean lost;

        private Member(int index, Room room) {
            this.index = index;
            this.room = room;
            this.lastSeq = room.baseSeq;
        }

        /**
         * The connection is authenticated: from now on it must receive every message of its room. A connection
         * ready after sending started is counted as late and not judged.
         */
        void ready(long nowMicros, long connectStartMicros) {
            late = nowMicros >= sendStartMicros;
            ready = true;
            readyMicros.recordValue(Math.max(0, nowMicros - connectStartMicros));
        }

        /** The connection failed after it was ready: what it misses from now on is still counted, apart. */
        void lost() {
            lost = true;
        }

        /** Records a send of {@code id} at {@code sendMicros}; returns the text to send. */
        String send(String id, long sendMicros) {
            pending.put(id, sendMicros);
            sent.increment();
            if (inWindow(sendMicros)) {
                sentInWindow.increment();
            }
            return text(index, ++counter, sendMicros);
        }

        /** The next message counter of this sender (for request ids). */
        long nextCounter() {
            return counter + 1;
        }

        void ack(String re, long seq, boolean duplicate, long arrivalMillis) {
            Long sendMicros = pending.remove(re);
            acked.increment();
            if (duplicate) {
                ackedDuplicate.increment();
            }
            room.acked(seq, index);
            if (sendMicros != null && inWindow(sendMicros)) {
                ackedInWindow.increment();
                ackMicros.recordValue(Math.max(0, arrivalMillis * 1000 - sendMicros));
            }
        }

        /** An error reply to one of this sender's requests (or none, when {@code re} is null). */
        void error(String re, String code) {
            if (re != null) {
                pending.remove(re);
            }
            Ledger.this.error(code);
        }

        synchronized void posted(String roomId, long seq, String text, long arrivalMillis) {
            delivered.increment();
            if (!roomId.equals(room.id)) {
                foreign.increment();
                return;
            }
            long sendMicros = sendMicros(text);
            if (sendMicros > 0 && inWindow(sendMicros)) {
                deliveredInWindow.increment();
                deliverMicros.recordValue(Math.max(0, arrivalMillis * 1000 - sendMicros));
            }
            if (late) {
                return;
            }
            int bit = (int) (seq - room.baseSeq);
            if (bit <= 0 || received.get(bit)) {
                duplicates.increment();
                return;
            }
            received.set(bit);
            if (seq != lastSeq + 1) {
                orderViolations.increment();
            }
            lastSeq = Math.max(lastSeq, seq);
        }

        private synchronized boolean received(int bit) {
            return received.get(bit);
        }
    }

    /**
     * Counts, after the run, what every ready member of each room should have received and did not: every
     * acked seq, at every member (the sender's own connection included, as PROTOCOL.md promises).
     */
    Verdict verdict() {
        long missing = 0;
        long missingAtSender = 0;
        long messagesWithLoss = 0;
        long readyMembers = 0;
        long lateMembers = 0;
        long unreadyMembers = 0;
        long lostMembers = 0;
        long missingAtLost = 0;
        for (Room room : rooms.values()) {
            BitSet acks;
            Map<Integer, Integer> senders;
            synchronized (room) {
                acks = (BitSet) room.ackedSeqs.clone();
                senders = new HashMap<>(room.senderOf);
            }
            for (Member m : room.members) {
                if (m.lost) {
                    lostMembers++;
                }
                if (m.ready && m.late) {
                    lateMembers++;
                } else if (m.ready) {
                    readyMembers++;
                } else {
                    unreadyMembers++;
                }
            }
            for (int bit = acks.nextSetBit(0); bit >= 0; bit = acks.nextSetBit(bit + 1)) {
                boolean lost = false;
                for (Member m : room.members) {
                    if (m.ready && !m.late && !m.received(bit)) {
                        missing++;
                        lost = true;
                        if (Integer.valueOf(m.index).equals(senders.get(bit))) {
                            missingAtSender++;
                        }
                        if (m.lost) {
                            missingAtLost++;
                        }
                    }
                }
                if (lost) {
                    messagesWithLoss++;
                }
            }
        }
        long unacked = 0;
        for (Room room : rooms.values()) {
            for (Member m : room.members) {
                unacked += m.pending.size();
            }
        }
        return new Verdict(readyMembers, lateMembers, unreadyMembers, lostMembers, sent.sum(), acked.sum(), ackedDuplicate.sum(), unacked,
                delivered.sum(), missing, missingAtSender, missingAtLost, messagesWithLoss, duplicates.sum(), orderViolations.sum(),
                foreign.sum(), sentInWindow.sum(), ackedInWindow.sum(), deliveredInWindow.sum(), sorted(errors),
                sorted(otherFrames), deliverMicros.getIntervalHistogram(), ackMicros.getIntervalHistogram(),
                readyMicros.getIntervalHistogram());
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * The run's counts. {@code missing}: (message, receiver) pairs where an acked message never arrived; of them,
     * {@code missingAtSender} at the sender's own connection and {@code missingAtLost} at connections that failed
     * during the run ({@code lostConnections}). {@code readyMicros}: from opening the connection to
     * {@code session.ready}, for every connection that got there.
     */
    record Verdict(long readyConnections, long lateConnections, long unreadyConnections, long lostConnections, long sent, long acked, long ackedDuplicate,
                   long unacked, long delivered, long missing, long missingAtSender, long missingAtLost,
                   long messagesWithLoss,
                   long duplicates, long orderViolations, long foreignRoom, long sentInWindow, long ackedInWindow,
                   long deliveredInWindow, Map<String, Long> errors, Map<String, Long> otherFrames,
                   Histogram deliverMicros, Histogram ackMicros, Histogram readyMicros) {

        boolean clean() {
            return missing == 0 && duplicates == 0 && foreignRoom == 0;
        }
    }
}
