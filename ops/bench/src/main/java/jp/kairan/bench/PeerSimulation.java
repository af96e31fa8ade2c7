package jp.kairan.bench;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The peer bench's scenario, the same for every server ({@link ChatTarget} supplies only the protocol): one virtual
 * user per connection, arriving evenly over the ramp (open model); each signs in and enters its room, then every
 * sending connection sends on its own schedule, one message every {@code senders / rate} seconds at the current
 * step's rate from a random phase, whatever the answers (a slow server gets the same offered load). Just before
 * each send, and at least every second, the frames received since are read into the
 * {@link StepLedger} with Gatling's arrival times (Gatling empties its buffer of unmatched frames on each send, so
 * the read must come right before it; both run in one go on the connection's event loop). After the drain the
 * last frames are read and the connection closes.
 */
public final class PeerSimulation extends Simulation {
    private static final Duration READ_INTERVAL = Duration.ofSeconds(1);

    public PeerSimulation() {
        PeerRun run = PeerRun.current();
        run.start(System.currentTimeMillis());
        ChatTarget target = run.target;
        URI url = run.wsUrl;
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());

        HttpProtocolBuilder protocol = http
                .wsBaseUrl(base)
                .wsUnmatchedInboundMessageBufferSize(run.inboxFrames)
                .userAgentHeader("kairan-peer-bench")
                .disableWarmUp();

        Iterator<Map<String, Object>> seats = IntStream.range(0, run.seats.size())
                .<Map<String, Object>>mapToObj(i -> Map.of("seat", i))
                .iterator();

        ChainBuilder readInbox = exec(ws.processUnmatchedMessages((frames, session) -> {
            PeerRun.Seat seat = seat(run, session);
            for (WsInboundMessage frame : frames) {
                if (frame instanceof WsInboundMessage.Text text) {
                    target.read(seat, text.message(), text.timestamp() * 1000);
                } else {
                    run.ledger.other("binary");
                }
            }
            if (session.isFailed()) {
                seat.member().lost();
            }
            return session;
        }));

        ChainBuilder send = exec(ws("send").sendText(session -> {
            PeerRun.Seat seat = seat(run, session);
            long now = GatewaySimulation.epochMicros();
            long counter = seat.member().send(now);
            return target.send(run, seat, counter,
                    StepLedger.text(seat.indexInRoom(), counter, now, run.messageBytes));
        }));

        ScenarioBuilder chat = scenario("chat")
                .feed(seats)
                .exec(session -> session.set("connectStart", GatewaySimulation.epochMicros()))
                .exec(target.enter(run, path))
                .exec(session -> {
                    seat(run, session).member().ready(GatewaySimulation.epochMicros(), session.getLong("connectStart"));
                    return session.set("due", run.firstSendMillis(ThreadLocalRandom.current().nextDouble()));
                })
                .asLongAs(session -> System.currentTimeMillis() < run.sendStartMillis()).on(
                        pause(session -> min(READ_INTERVAL, untilMillis(run.sendStartMillis()))).exec(readInbox))
                .asLongAs(session -> System.currentTimeMillis() < run.sendEndMillis()).on(
                        pause(session -> min(READ_INTERVAL, untilMillis(seat(run, session).sends()
                                ? Math.min((long) session.getDouble("due"), run.sendEndMillis())
                                : run.sendEndMillis())))
                                .exec(readInbox)
                                .doIf(session -> seat(run, session).sends()
                                        && System.currentTimeMillis() >= (long) session.getDouble("due")
                                        && System.currentTimeMillis() < run.sendEndMillis()).then(
                                        exec(send).exec(session -> session.set("due",
                                                run.nextSendMillis(session.getDouble("due"))))))
                .asLongAs(session -> System.currentTimeMillis() < run.drainEndMillis()).on(
                        pause(session -> min(READ_INTERVAL, untilMillis(run.drainEndMillis()))).exec(readInbox))
                .exec(readInbox)
                .exec(ws("close").close());

        long maxSeconds = (run.drainEndMillis() - run.startMillis()) / 1000 + 120;
        setUp(chat.injectOpen(rampUsers(run.seats.size()).during(run.ramp)))
                .protocols(protocol)
                .maxDuration(Duration.ofSeconds(maxSeconds));
    }

    static PeerRun.Seat seat(PeerRun run, Session session) {
        return run.seats.get(session.getInt("seat"));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration untilMillis(long epochMillis) {
        return Duration.ofMillis(Math.max(0, epochMillis - System.currentTimeMillis()));
    }
}
