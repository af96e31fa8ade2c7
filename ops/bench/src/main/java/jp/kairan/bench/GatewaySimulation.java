package jp.kairan.bench;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import jp.kairan.protocol.Authenticate;
import jp.kairan.protocol.ClientMessage;
import jp.kairan.protocol.Hello;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.ProtocolVersion;
import jp.kairan.protocol.SendMessage;
import jp.kairan.protocol.SessionReady;

/**
 * The gateway scenario, one virtual user per connection (open model: connections arrive on a schedule, and each
 * sends on its own fixed schedule whatever the answers):
 *
 * <ol>
 *   <li>open a WebSocket with subprotocol {@code kairan.v1}, await the server's {@code hello} and its nonce, send
 *       {@code session.authenticate} with the access token and a DPoP proof over the nonce (signed right then, as a
 *       client does when it connects), await {@code session.ready} (Gatling times the handshake with the hello,
 *       and the authentication);</li>
 *   <li>while waiting, read the frames received every two seconds (see below);</li>
 *   <li>from the common send start plus a random phase, send one {@code message.send} every
 *       {@link GatewayRun#sendInterval()} until the send end, without waiting for answers (connections that
 *       only receive just read their frames at that interval);</li>
 *   <li>just before each send, hand every frame received since the last send to the {@link Ledger} (acks,
 *       deliveries, errors, with Gatling's arrival timestamps). It must be just before: Gatling empties its buffer
 *       of unmatched frames on every send. Both actions run in one go on the connection's event loop, so no frame
 *       can arrive between them;</li>
 *   <li>after the drain time, read the last frames and close.</li>
 * </ol>
 *
 * <p>Started by {@link GatewayBench}, which provisions the users and rooms first; see {@link GatewayRun}.
 */
public final class GatewaySimulation extends Simulation {
    private static final ObjectWriter CLIENT_FRAMES = Json.mapper().writerFor(ClientMessage.class);
    private static final String AUTH_ID = "auth";
    static final String HELLO = Hello.TYPE;
    private static final Duration WAIT_READ_INTERVAL = Duration.ofSeconds(2);

    public GatewaySimulation() {
        GatewayRun run = GatewayRun.current();
        GatewayRun.Timeline timeline = run.start(System.currentTimeMillis());
        Duration interval = run.sendInterval();
        URI url = run.gatewayUrl();
        String gatewayUrl = url.toString();
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());

        HttpProtocolBuilder protocol = http
                .wsBaseUrl(base)
                .wsUnmatchedInboundMessageBufferSize(run.inboxFrames())
                .userAgentHeader("kairan-gateway-bench")
                .disableWarmUp();

        Iterator<Map<String, Object>> seats = IntStream.range(0, run.seats().size())
                .<Map<String, Object>>mapToObj(i -> Map.of("seat", i))
                .iterator();

        ChainBuilder readInbox = exec(ws.processUnmatchedMessages((frames, session) -> {
            Ledger.Member member = seat(run, session).member();
            Inbox.read(run.ledger(), member, frames);
            if (session.isFailed()) {
                member.lost();
            }
            return session;
        }));

        ChainBuilder send = exec(ws("send").sendText(session -> {
            GatewayRun.Seat seat = seat(run, session);
            String id = run.runId() + "-" + seat.index() + "-" + seat.member().nextCounter();
            String text = seat.member().send(id, epochMicros());
            return frame(SendMessage.plain(id, seat.roomId(), text));
        }));

        ScenarioBuilder chat = scenario("chat")
                .feed(seats)
                .exec(session -> session.set("connectStart", epochMicros()))
                .exec(ws("connect").connect(path).subprotocol(ProtocolVersion.V1)
                        .await(Duration.ofSeconds(30)).on(ws.checkTextMessage(HELLO)
                                .check(jsonPath("$.type").is(HELLO), jsonPath("$.nonce").saveAs("nonce"))))
                .exitHereIfFailed()
                .exec(ws("authenticate")
                        .sendText(session -> authenticate(seat(run, session), gatewayUrl, session.getString("nonce")))
                        .await(Duration.ofSeconds(30)).on(ws.checkTextMessage("session.ready")
                                .matching(jsonPath("$.re").is(AUTH_ID))
                                .check(jsonPath("$.type").is(SessionReady.TYPE))))
                .exitHereIfFailed()
                .exec(session -> {
                    seat(run, session).member().ready(epochMicros(), session.getLong("connectStart"));
                    long phase = ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis()));
                    return session.set("firstSend", timeline.sendStartMillis() + phase);
                })
                // Waiting for the first send, read what arrives every few seconds: while thousands of
                // connections open, each hears every other one come online (presence.changed).
                .asLongAs(session -> System.currentTimeMillis() < session.getLong("firstSend")).on(
                        pause(session -> min(WAIT_READ_INTERVAL, untilMillis(session.getLong("firstSend"))))
                                .exec(readInbox))
                .asLongAs(session -> System.currentTimeMillis() < timeline.sendEndMillis()).on(
                        pace(interval)
                                .exec(readInbox)
                                .doIf(session -> seat(run, session).sends()
                                        && System.currentTimeMillis() < timeline.sendEndMillis()).then(send))
                .pause(session -> untilMillis(timeline.drainEndMillis()))
                .exec(readInbox)
                .exec(ws("close").close());

        long maxSeconds = (timeline.drainEndMillis() - timeline.startMillis()) / 1000 + 60;
        setUp(chat.injectOpen(rampUsers(run.seats().size()).during(run.ramp())))
                .protocols(protocol)
                .maxDuration(Duration.ofSeconds(maxSeconds));
    }

    private static GatewayRun.Seat seat(GatewayRun run, Session session) {
        return run.seats().get(session.getInt("seat"));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration untilMillis(long epochMillis) {
        return Duration.ofMillis(Math.max(0, epochMillis - System.currentTimeMillis()));
    }

    /** Now, in microseconds since the epoch (the clock Gatling's arrival timestamps come from, finer). */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * {@code session.authenticate} with the token and its device's proof (htm GET, htu the gateway URL, ath, the
     * connection's nonce), protocol/DEVICES.md "Gateway"; signed now, as a client does when the hello arrives.
     */
    static String authenticate(GatewayRun.Seat seat, String gatewayUrl, String nonce) {
        return frame(new Authenticate(AUTH_ID, seat.token(), seat.key().proof("GET", gatewayUrl, seat.token(), nonce)));
    }

    private static String frame(ClientMessage message) {
        try {
            return CLIENT_FRAMES.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + message.type(), e);
        }
    }
}
