package jp.kairan.bench;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.gatling.javaapi.core.ChainBuilder;
import java.time.Duration;
import jp.kairan.protocol.Authenticate;
import jp.kairan.protocol.ClientMessage;
import jp.kairan.protocol.ErrorReply;
import jp.kairan.protocol.Hello;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.MessageAck;
import jp.kairan.protocol.MessagePosted;
import jp.kairan.protocol.PresenceChanged;
import jp.kairan.protocol.ProtocolVersion;
import jp.kairan.protocol.SendMessage;
import jp.kairan.protocol.ServerMessage;
import jp.kairan.protocol.SessionReady;

/**
 * Kairan's gateway ({@code protocol/PROTOCOL.md}) for the peer bench: the server's {@code hello},
 * {@code session.authenticate} with the access token and a DPoP proof over the hello's nonce, {@code session.ready};
 * then {@code message.send}, acknowledged by {@code message.ack} once stored, and delivered to every member's
 * connection (the sender's included) as {@code message.posted}. Frames are read with the protocol's own records.
 */
final class KairanChat implements ChatTarget {
    private static final ObjectWriter CLIENT_FRAMES = Json.mapper().writerFor(ClientMessage.class);
    private static final ObjectReader SERVER_FRAMES = Json.mapper().readerFor(ServerMessage.class);
    private static final String PRESENCE_PREFIX = "{\"type\":\"" + PresenceChanged.TYPE + "\"";
    private static final String AUTH_ID = "auth";

    private final StepLedger ledger;

    KairanChat(StepLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "kairan";
    }

    @Override
    public String subprotocol() {
        return ProtocolVersion.V1;
    }

    @Override
    public ChainBuilder enter(PeerRun run, String path) {
        String gatewayUrl = run.wsUrl.toString();
        return exec(ws("connect").connect(path).subprotocol(subprotocol())
                        .await(Duration.ofSeconds(30)).on(ws.checkTextMessage(Hello.TYPE)
                                .check(jsonPath("$.type").is(Hello.TYPE), jsonPath("$.nonce").saveAs("nonce"))))
                .exitHereIfFailed()
                .exec(ws("authenticate")
                        .sendText(session -> {
                            Account a = (Account) PeerSimulation.seat(run, session).login();
                            return frame(new Authenticate(AUTH_ID, a.accessToken,
                                    a.deviceKey.proof("GET", gatewayUrl, a.accessToken, session.getString("nonce"))));
                        })
                        .await(Duration.ofSeconds(30)).on(ws.checkTextMessage(SessionReady.TYPE)
                                .matching(jsonPath("$.re").is(AUTH_ID))
                                .check(jsonPath("$.type").is(SessionReady.TYPE))))
                .exitHereIfFailed();
    }

    @Override
    public String send(PeerRun run, PeerRun.Seat seat, long counter, String text) {
        return frame(SendMessage.plain(requestId(run, seat, counter), seat.roomId(), text));
    }

    /** {@code <run>-<seat>-<counter>}: unique per run (send ids are idempotency keys on the server). */
    private static String requestId(PeerRun run, PeerRun.Seat seat, long counter) {
        return run.runId + "-" + seat.index() + "-" + counter;
    }

    private static long counterOf(String requestId) {
        if (requestId == null) {
            return 0;
        }
        try {
            return Long.parseLong(requestId, requestId.lastIndexOf('-') + 1, requestId.length(), 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void read(PeerRun.Seat seat, String frame, long arrivalMicros) {
        if (frame.startsWith(PRESENCE_PREFIX)) {
            ledger.other(PresenceChanged.TYPE);
            return;
        }
        ServerMessage message;
        try {
            message = SERVER_FRAMES.readValue(frame);
        } catch (JsonProcessingException e) {
            ledger.unreadable();
            return;
        }
        if (message instanceof MessagePosted posted) {
            seat.member().delivered(posted.roomId(), posted.message().seq(), posted.message().text(), arrivalMicros);
        } else if (message instanceof MessageAck ack) {
            seat.member().ack(counterOf(ack.re()), arrivalMicros);
        } else if (message instanceof ErrorReply error) {
            seat.member().error(counterOf(error.re()), error.code().code());
        } else {
            ledger.other(message.type());
        }
    }

    private static String frame(ClientMessage message) {
        try {
            return CLIENT_FRAMES.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + message.type(), e);
        }
    }
}
