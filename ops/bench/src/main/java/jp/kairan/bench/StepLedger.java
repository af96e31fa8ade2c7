package jp.kairan.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the peer bench saw, step by step, whatever the protocol: every send, the server's confirmation that it was
 * stored ("ack": Kairan's {@code message.ack}, or for XMPP the room's reflection of the message to its sender, sent
 * after ejabberd archived it), every delivery and every error.
 *
 * <p>A message is known by its room, its sender (0-based within the room) and the sender's counter, all carried in
 * its text ({@link #text}) with the send time, so both servers are judged by the same rules:
 *
 * <ul>
 *   <li><b>loss</b>: an acked message that some ready member of its room never received (the sender included);
 *   <li><b>duplicates</b>: the same message twice at one receiver;
 *   <li><b>order</b>: at each receiver, the server's room order key (Kairan's seq, XMPP's stanza-id) must rise,
 *       and each sender's counters must rise;
 * </ul>
 *
 * <p>Latencies and rates of a {@link Step} count messages <em>sent</em> in the step's measured part; loss,
 * duplicates and order are charged to the step the message was sent in. Thread-safe: one {@link Member}'s methods
 * are called by its virtual user only (one at a time); rooms and steps are shared.
 */
final class StepLedger {
    private static final String TEXT_PREFIX = "bench ";

    private volatile List<Step> steps = List.of();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> otherFrames = new ConcurrentHashMap<>();
    private final Recorder readyMicros = new Recorder(3);
    private final LongAdder foreign = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final LongAdder sentTotal = new LongAdder();
    private final LongAdder ackedTotal = new LongAdder();
    private volatile long sendStartMicros = Long.MAX_VALUE;

    /**
     * One rate step: {@code [startMicros, endMicros)}, measured from {@code measureFromMicros}. The warm-up (at the
     * first step's rate, before it) is a step too, judged for loss but not reported as a step.
     */
    static final class Step {
        final int index;
        final boolean warmup;
        final double offeredPerSecond;
        final long startMicros;
        final long measureFromMicros;
        final long endMicros;
        final Recorder ack = new Recorder(3);
        final Recorder deliver = new Recorder(3);
        final LongAdder sent = new LongAdder();
        final LongAdder sentMeasured = new LongAdder();
        final LongAdder ackedMeasured = new LongAdder();
        final LongAdder deliveredMeasured = new LongAdder();
        final LongAdder acked = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder orderViolations = new LongAdder();
        final LongAdder errors = new LongAdder();
        private Histogram ackSnapshot;
        private Histogram deliverSnapshot;

        Step(int index, boolean warmup, double offeredPerSecond, long startMicros, long measureFromMicros,
             long endMicros) {
            this.index = index;
            this.warmup = warmup;
            this.offeredPerSecond = offeredPerSecond;
            this.startMicros = startMicros;
            this.measureFromMicros = measureFromMicros;
            this.endMicros = endMicros;
        }

        boolean measured(long sendMicros) {
            return sendMicros >= measureFromMicros && sendMicros < endMicros;
        }

        /** Deliveries recorded so far (the histogram keeps accumulating). */
        synchronized Histogram deliverSoFar() {
            if (deliverSnapshot == null) {
                deliverSnapshot = new Histogram(3);
            }
            deliverSnapshot.add(deliver.getIntervalHistogram());
            return deliverSnapshot.copy();
        }

        synchronized Histogram ackSoFar() {
            if (ackSnapshot == null) {
                ackSnapshot = new Histogram(3);
            }
            ackSnapshot.add(ack.getIntervalHistogram());
            return ackSnapshot.copy();
        }
    }

    /** Fixes the steps; call once, before anything is sent. */
    void steps(List<Step> planned) {
        steps = List.copyOf(planned);
        sendStartMicros = planned.isEmpty() ? Long.MAX_VALUE : planned.get(0).startMicros;
    }

    List<Step> steps() {
        return steps;
    }

    /** The step a message sent at {@code sendMicros} belongs to, or null (before the first, after the last). */
    Step stepAt(long sendMicros) {
        List<Step> s = steps;
        for (int i = s.size() - 1; i >= 0; i--) {
            Step step = s.get(i);
            if (sendMicros >= step.startMicros) {
                return sendMicros < step.endMicros ? step : null;
            }
        }
        return null;
    }

    Room room(String roomId, int members) {
        return rooms.computeIfAbsent(roomId, id -> new Room(id, members));
    }

    /**
     * The text of a bench message: sender, counter and send time, then padding to exactly {@code bytes} UTF-8 bytes
     * (at least the header's length) with ordinary Japanese office text, the same for every server.
     */
    static String text(int sender, long counter, long sendMicros, int bytes) {
        StringBuilder sb = new StringBuilder(bytes).append(TEXT_PREFIX).append(sender).append(' ').append(counter)
                .append(' ').append(sendMicros).append(' ');
        int have = sb.length();
        String filler = "明日の定例会議の資料を共有フォルダに置きました。ご確認ください。";
        int i = 0;
        while (true) {
            char c = filler.charAt(i++ % filler.length());
            int add = String.valueOf(c).getBytes(StandardCharsets.UTF_8).length;
            if (have + add > bytes) {
                break;
            }
            sb.append(c);
            have += add;
        }
        while (have < bytes) {
            sb.append('.');
            have++;
        }
        return sb.toString();
    }

    /** Sender, counter and send time parsed from a bench text, or null for any other text. */
    static long[] parse(String text) {
        if (text == null || !text.startsWith(TEXT_PREFIX)) {
            return null;
        }
        long[] out = new long[3];
        int pos = TEXT_PREFIX.length();
        for (int f = 0; f < 3; f++) {
            int end = text.indexOf(' ', pos);
            if (end < 0) {
                end = text.length();
            }
            try {
                out[f] = Long.parseLong(text, pos, end, 10);
            } catch (NumberFormatException e) {
                return null;
            }
            pos = end + 1;
        }
        return out;
    }

    void error(String code, long sendMicros) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        Step step = sendMicros > 0 ? stepAt(sendMicros) : null;
        if (step != null) {
            step.errors.increment();
        }
    }

    void other(String type) {
        otherFrames.computeIfAbsent(type, c -> new LongAdder()).increment();
    }

    void unreadable() {
        unreadable.increment();
    }

    /** One room: its members and, per sender, the counters acked and their send times. */
    final class Room {
        final String id;
        final int size;
        private final List<Member> members = new CopyOnWriteArrayList<>();
        private final BitSet[] acked;

        private Room(String id, int size) {
            this.id = id;
            this.size = size;
            this.acked = new BitSet[size];
            for (int i = 0; i < size; i++) {
                acked[i] = new BitSet();
            }
        }

        Member member(int indexInRoom) {
            Member m = new Member(indexInRoom, this);
            members.add(m);
            return m;
        }

        private synchronized void acked(int sender, long counter) {
            acked[sender].set((int) counter);
        }
    }

    /** One connection: one user in one room. */
    final class Member {
        final int index;
        final Room room;
        private final BitSet[] received;
        private final long[] lastCounter;
        private long lastOrderKey = Long.MIN_VALUE;
        private long[] sendMicros = new long[64];
        private final BitSet ackedOwn = new BitSet();
        private long counter;
        private volatile boolean ready;
        private volatile boolean late;
        private volatile boolean lost;

        private Member(int index, Room room) {
            this.index = index;
            this.room = room;
            this.received = new BitSet[room.size];
            this.lastCounter = new long[room.size];
            for (int i = 0; i < room.size; i++) {
                received[i] = new BitSet();
            }
        }

        void ready(long nowMicros, long connectStartMicros) {
            late = nowMicros >= sendStartMicros;
            ready = true;
            readyMicros.recordValue(Math.max(0, nowMicros - connectStartMicros));
        }

        void lost() {
            lost = true;
        }

        /** Records the next send at {@code now}; returns its counter (1, 2, ...). */
        synchronized long send(long now) {
            long c = ++counter;
            if (c >= sendMicros.length) {
                sendMicros = Arrays.copyOf(sendMicros, sendMicros.length * 2);
            }
            sendMicros[(int) c] = now;
            sentTotal.increment();
            Step step = stepAt(now);
            if (step != null) {
                step.sent.increment();
                if (step.measured(now)) {
                    step.sentMeasured.increment();
                }
            }
            return c;
        }

        synchronized long sentAt(long c) {
            return c > 0 && c <= counter ? sendMicros[(int) c] : -1;
        }

        /** The server confirmed this member's message {@code c} as stored. */
        void ack(long c, long arrivalMicros) {
            long sent;
            synchronized (this) {
                if (c <= 0 || c > counter || ackedOwn.get((int) c)) {
                    return;
                }
                ackedOwn.set((int) c);
                sent = sendMicros[(int) c];
            }
            ackedTotal.increment();
            room.acked(index, c);
            Step step = stepAt(sent);
            if (step != null) {
                step.acked.increment();
                if (step.measured(sent)) {
                    step.ackedMeasured.increment();
                    step.ack.recordValue(Math.max(0, arrivalMicros - sent));
                }
            }
        }

        /** An error answer to this member's message {@code c} (0 when it names none). */
        void error(long c, String code) {
            StepLedger.this.error(code, sentAt(c));
        }

        /** A message of room {@code roomId} arrived, with the server's room order key. */
        synchronized void delivered(String roomId, long orderKey, String text, long arrivalMicros) {
            if (!roomId.equals(room.id)) {
                foreign.increment();
                return;
            }
            long[] f = parse(text);
            if (f == null || f[0] < 0 || f[0] >= room.size) {
                unreadable.increment();
                return;
            }
            int sender = (int) f[0];
            long c = f[1];
            long sent = f[2];
            Step step = stepAt(sent);
            if (step != null && step.measured(sent)) {
                step.deliveredMeasured.increment();
                step.deliver.recordValue(Math.max(0, arrivalMicros - sent));
            }
            if (late) {
                return;
            }
            if (received[sender].get((int) c)) {
                if (step != null) {
                    step.duplicates.increment();
                }
                return;
            }
            received[sender].set((int) c);
            boolean outOfOrder = orderKey <= lastOrderKey || c <= lastCounter[sender];
            if (outOfOrder && step != null) {
                step.orderViolations.increment();
            }
            lastOrderKey = Math.max(lastOrderKey, orderKey);
            lastCounter[sender] = Math.max(lastCounter[sender], c);
        }

        private synchronized boolean has(int sender, int c) {
            return received[sender].get(c);
        }
    }

    /** Per step: (message, receiver) pairs missing, messages with any loss, and unanswered sends. */
    record Loss(long[] missing, long[] messagesWithLoss, long[] unacked, long missingAtLost) {
    }

    /** Counts what every ready, judged member should have received and did not; call after the drain. */
    Loss loss() {
        List<Step> s = steps();
        long[] missing = new long[s.size()];
        long[] withLoss = new long[s.size()];
        long[] unacked = new long[s.size()];
        long atLost = 0;
        for (Room room : rooms.values()) {
            BitSet[] acks;
            synchronized (room) {
                acks = new BitSet[room.size];
                for (int i = 0; i < room.size; i++) {
                    acks[i] = (BitSet) room.acked[i].clone();
                }
            }
            for (Member sender : room.members) {
                long sentCount;
                synchronized (sender) {
                    sentCount = sender.counter;
                }
                for (int c = 1; c <= sentCount; c++) {
                    Step step = stepAt(sender.sentAt(c));
                    int si = step == null ? -1 : step.index;
                    if (!acks[sender.index].get(c)) {
                        if (si >= 0) {
                            unacked[si]++;
                        }
                        continue;
                    }
                    boolean any = false;
                    for (Member m : room.members) {
                        if (m.ready && !m.late && !m.has(sender.index, c)) {
                            any = true;
                            if (si >= 0) {
                                missing[si]++;
                            }
                            if (m.lost) {
                                atLost++;
                            }
                        }
                    }
                    if (any && si >= 0) {
                        withLoss[si]++;
                    }
                }
            }
        }
        return new Loss(missing, withLoss, unacked, atLost);
    }

    /** Connections: ready in time, ready late (not judged), never ready, failed after being ready. */
    long[] connections() {
        long ready = 0;
        long late = 0;
        long never = 0;
        long lost = 0;
        for (Room room : rooms.values()) {
            for (Member m : room.members) {
                if (m.lost) {
                    lost++;
                }
                if (m.ready && m.late) {
                    late++;
                } else if (m.ready) {
                    ready++;
                } else {
                    never++;
                }
            }
        }
        return new long[] {ready, late, never, lost};
    }

    Histogram readyMicros() {
        return readyMicros.getIntervalHistogram();
    }

    long sent() {
        return sentTotal.sum();
    }

    long acked() {
        return ackedTotal.sum();
    }

    long foreign() {
        return foreign.sum();
    }

    long unreadableFrames() {
        return unreadable.sum();
    }

    Map<String, Long> errors() {
        return sorted(errors);
    }

    Map<String, Long> otherFrames() {
        return sorted(otherFrames);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
