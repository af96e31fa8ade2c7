package jp.kairan.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the peer bench against one server, as {@link PeerBench} hands it to the {@link PeerSimulation} that
 * Gatling instantiates in the same JVM: the server's protocol ({@link ChatTarget}), who connects (one {@link Seat}
 * per connection), the rate steps, and the ledger.
 *
 * <p>The timeline: connections open evenly over {@code ramp}, then {@code settle}, then {@code warmup} at the
 * first rate (not reported: both runtimes warm their caches and compilers), then the steps, each
 * {@code step} long at its rate, the first {@code stepWarmup} of each not measured; sending stops after the last
 * step, or earlier when a step passed the knee ({@link #stop}); {@code drain} later the connections close.
 */
final class PeerRun {
    private static volatile PeerRun current;

    final ChatTarget target;
    final URI wsUrl;
    final List<Seat> seats;
    final List<Double> rates;
    final Duration ramp;
    final Duration settle;
    final Duration warmup;
    final Duration step;
    final Duration stepWarmup;
    final Duration drain;
    final int messageBytes;
    final int inboxFrames;
    final String runId;
    final StepLedger ledger;
    private final long senders;
    private volatile long startMillis;
    private volatile long sendStartMillis;
    private volatile long stopMillis = Long.MAX_VALUE;
    private volatile long sendEndPlanned;

    /**
     * One connection.
     *
     * @param index       0-based over the run
     * @param indexInRoom 0-based within its room: the sender number in message texts
     * @param roomId      the room (Kairan's id, or the room's bare JID)
     * @param login       what the target needs to sign in (a Kairan {@link Account}, an {@link XmppChat.Login})
     * @param sends       whether this connection sends, or only receives
     * @param member      its record in the ledger
     */
    record Seat(int index, int indexInRoom, String roomId, Object login, boolean sends, StepLedger.Member member) {
    }

    PeerRun(ChatTarget target, URI wsUrl, List<Seat> seats, List<Double> rates, Duration ramp, Duration settle,
            Duration warmup, Duration step, Duration stepWarmup, Duration drain, int messageBytes, int inboxFrames, String runId,
            StepLedger ledger) {
        this.target = target;
        this.wsUrl = wsUrl;
        this.seats = List.copyOf(seats);
        this.rates = List.copyOf(rates);
        this.ramp = ramp;
        this.settle = settle;
        this.warmup = warmup;
        this.step = step;
        this.stepWarmup = stepWarmup;
        this.drain = drain;
        this.messageBytes = messageBytes;
        this.inboxFrames = inboxFrames;
        this.runId = runId;
        this.ledger = ledger;
        this.senders = Math.max(1, seats.stream().filter(Seat::sends).count());
    }

    void install() {
        current = this;
    }

    static PeerRun current() {
        PeerRun run = current;
        if (run == null) {
            throw new IllegalStateException("PeerSimulation is started by PeerBench (see ops/bench/README.md)");
        }
        return run;
    }

    /** Fixes the timeline from now; called once, when the simulation is built. */
    void start(long nowMillis) {
        startMillis = nowMillis;
        sendStartMillis = nowMillis + ramp.toMillis() + settle.toMillis();
        List<StepLedger.Step> steps = new ArrayList<>();
        long from = sendStartMillis;
        if (!warmup.isZero()) {
            steps.add(new StepLedger.Step(0, true, rates.get(0), from * 1000, from * 1000,
                    (from + warmup.toMillis()) * 1000));
            from += warmup.toMillis();
        }
        for (double rate : rates) {
            steps.add(new StepLedger.Step(steps.size(), false, rate, from * 1000, (from + stepWarmup.toMillis()) * 1000,
                    (from + step.toMillis()) * 1000));
            from += step.toMillis();
        }
        ledger.steps(steps);
        sendEndPlanned = from;
    }
    long startMillis() {
        return startMillis;
    }

    long sendStartMillis() {
        return sendStartMillis;
    }

    /** When sending stops: after the last step, or when {@link #stop} was called. */
    long sendEndMillis() {
        return Math.min(stopMillis, sendEndPlanned);
    }

    long drainEndMillis() {
        return sendEndMillis() + drain.toMillis();
    }

    /** Ends sending now (a step passed the knee: the next ones would only pile up). */
    void stop(long nowMillis) {
        stopMillis = Math.min(stopMillis, nowMillis);
    }

    boolean stopped() {
        return stopMillis != Long.MAX_VALUE;
    }

    /** Milliseconds between two sends of one sending connection at {@code rate} messages/s in all. */
    double intervalMillis(double rate) {
        return senders * 1000.0 / rate;
    }

    /** The first send of a connection: a random phase within the first step's interval. */
    double firstSendMillis(double random01) {
        return sendStartMillis + random01 * intervalMillis(rates.get(0));
    }

    /** The send after one due at {@code dueMillis}, at the rate of the step that time falls in. */
    double nextSendMillis(double dueMillis) {
        StepLedger.Step at = ledger.stepAt((long) (dueMillis * 1000));
        return dueMillis + intervalMillis(at != null ? at.offeredPerSecond : rates.get(rates.size() - 1));
    }
}
