package jp.kairan.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One run of the gateway bench, as {@link GatewayBench} hands it to the {@link GatewaySimulation} that Gatling
 * instantiates in the same JVM: where to connect, who connects (one {@link Seat} per connection), the load, the
 * {@link Ledger} that records it, and the timeline fixed when the simulation starts.
 *
 * @param gatewayUrl      WebSocket URL of the gateway, e.g. {@code ws://127.0.0.1:8081/ws}
 * @param seats           one per connection: its user, access token and room
 * @param ratePerSecond   messages per second over all connections
 * @param ramp            connections open spread evenly over this time
 * @param settle          quiet time after the ramp, before the first message
 * @param warmup          first part of the sending phase, not measured
 * @param duration        measured part of the sending phase
 * @param drain           time after the last send for deliveries to arrive before the connections close
 * @param runId           unique per run; part of every request id (send ids are idempotency keys on the server)
 * @param ledger          what the run saw
 * @param inboxFrames     Gatling's buffer of unprocessed inbound frames per connection
 */
record GatewayRun(URI gatewayUrl, List<Seat> seats, double ratePerSecond, Duration ramp, Duration settle,
                  Duration warmup, Duration duration, Duration drain, String runId, Ledger ledger, int inboxFrames) {

    private static volatile GatewayRun current;
    private static volatile Timeline timeline;

    /**
     * One connection.
     *
     * @param index  0-based, also the sender number in message texts
     * @param userId the user
     * @param token  access token for {@code session.authenticate}
     * @param key    the key of the device the token is bound to, for the proof over the gateway's nonce
     * @param roomId the one room this user is a member of
     * @param sends  whether this connection sends messages, or only receives them
     * @param member its record in the ledger
     */
    record Seat(int index, String userId, String token, DeviceKey key, String roomId, boolean sends,
                Ledger.Member member) {
        @Override
        public String toString() {
            return "Seat[" + index + ", user " + userId + ", room " + roomId + "]";
        }
    }

    /**
     * The run's moments, epoch milliseconds: the simulation starts, the first message may be sent, measuring
     * starts, sending stops, the connections close.
     */
    record Timeline(long startMillis, long sendStartMillis, long measureFromMillis, long sendEndMillis,
                    long drainEndMillis) {
    }

    /**
     * Time between two messages of one sending connection, so that they together send {@link #ratePerSecond}.
     * Connections that only receive read their frames at the same interval.
     */
    Duration sendInterval() {
        long senders = Math.max(1, seats.stream().filter(Seat::sends).count());
        return Duration.ofNanos(Math.round(senders / ratePerSecond * 1e9));
    }

    /** Makes this the run the next {@link GatewaySimulation} drives. */
    void install() {
        current = this;
        timeline = null;
    }

    static GatewayRun current() {
        GatewayRun run = current;
        if (run == null) {
            throw new IllegalStateException("GatewaySimulation is started by GatewayBench (see ops/bench/README.md),"
                    + " not by Gatling's own launcher: it needs the provisioned users and rooms");
        }
        return run;
    }

    /** Fixes the timeline from {@code nowMillis}; called once, when the simulation is built. */
    Timeline start(long nowMillis) {
        long sendStart = nowMillis + ramp.toMillis() + settle.toMillis();
        long measureFrom = sendStart + warmup.toMillis();
        long sendEnd = measureFrom + duration.toMillis();
        Timeline t = new Timeline(nowMillis, sendStart, measureFrom, sendEnd, sendEnd + drain.toMillis());
        ledger.timeline(sendStart * 1000, measureFrom * 1000, sendEnd * 1000);
        timeline = t;
        return t;
    }

    /** The timeline, or null before the simulation started. */
    static Timeline timeline() {
        return timeline;
    }
}
