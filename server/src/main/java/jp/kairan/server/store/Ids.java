package jp.kairan.server.store;

/**
 * Application-assigned, time-ordered 64-bit ids (so that inserts can be JDBC-batched and ids sort by
 * creation time). Layout, most significant bit first:
 *
 * <pre>
 *  0 | 41 bits: milliseconds since 2024-01-01T00:00Z | 10 bits: node | 12 bits: sequence
 * </pre>
 *
 * 4,096 ids per millisecond per node; when a millisecond is used up the generator waits for the next one.
 * If the clock steps back, the generator keeps counting from its last timestamp rather than reusing ids.
 * Thread-safe.
 */
public final class Ids {
    private static final long EPOCH_MILLIS = 1_704_067_200_000L;
    private static final int SEQUENCE_BITS = 12;
    private static final int NODE_BITS = 10;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private static long node;
    private static long lastMillis = -1;
    private static long sequence;

    private Ids() {
    }

    /** Sets this process's node number (0..1023); call before the first id, once per process. */
    public static synchronized void configureNode(int nodeId) {
        if (nodeId < 0 || nodeId >= (1 << NODE_BITS)) {
            throw new IllegalArgumentException("node id must be 0..1023, got " + nodeId);
        }
        node = nodeId;
    }

    /** The next id. */
    public static synchronized long next() {
        long now = Math.max(System.currentTimeMillis() - EPOCH_MILLIS, lastMillis);
        if (now == lastMillis) {
            sequence = (sequence + 1) & MAX_SEQUENCE;
            if (sequence == 0) {
                now = lastMillis + 1;
                while (System.currentTimeMillis() - EPOCH_MILLIS < now) {
                    Thread.onSpinWait();
                }
            }
        } else {
            sequence = 0;
        }
        lastMillis = now;
        return (now << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS) | sequence;
    }
}
