package jp.kairan.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.Json;
import jp.kairan.server.access.Role;
import jp.kairan.server.auth.ProofRequest;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.config.GatewayConfig;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;
import jp.kairan.server.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One connection's session handler behind the real codec, on an {@link EmbeddedChannel}: no sockets, and the
 * event loop's time moved by hand. The token check is a stub (signatures and sessions are the auth feature's).
 */
class SessionHandlerTest {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    private final ObjectMapper json = Json.mapper();
    private final MutableClock clock = new MutableClock();
    private final List<String> closes = new CopyOnWriteArrayList<>();
    private final UserProfile hanako = new UserProfile(11, 1L, "hanako", "花子", null, "hanako@example.jp",
            UserStatus.ACTIVE, Set.of(Role.MEMBER), Instant.EPOCH);
    private EmbeddedChannel channel;

    /** Accepts the token "good" for hanako; refuses anything else. */
    private final SessionChecks checks = new SessionChecks() {
        @Override
        public Sessions.Authenticated authenticate(String accessToken, ProofRequest proof) {
            if (!accessToken.equals("good")) {
                throw new KairanException(ErrorCode.UNAUTHENTICATED, "bad token");
            }
            return new Sessions.Authenticated(hanako, 7, clock.instant().plus(Duration.ofMinutes(15)), 3);
        }

        @Override
        public Optional<UserProfile> current(long userId, long sessionId) {
            return Optional.of(hanako);
        }
    };

    @BeforeEach
    void open() {
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), 65_536, Duration.ofSeconds(60), Duration.ofSeconds(20), AUTH_TIMEOUT, Duration.ofSeconds(10), 65_536, GRACE,
                10, 20, 1);
        GatewayServices services = new GatewayServices(config, clock, checks, null,
                new ConnectionRegistry(json, 65_536, new SimpleMeterRegistry()), new SendRateLimiter(10, 20),
                Runnable::run, closes::add);
        channel = new EmbeddedChannel(new EnvelopeCodec(json), new SessionHandler(services, "c1"));
        channel.freezeTime();
        channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete("/ws",
                new DefaultHttpHeaders().add(HttpHeaderNames.HOST, "chat.example.jp"), "kairan.v1"));
        assertThat(replies()).singleElement().satisfies(hello -> assertThat(type(hello)).isEqualTo("hello"));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestBeforeAuthenticationClosesWith1008() {
        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"message.sync\",\"id\":\"s-1\",\"roomId\":\"5\",\"afterSeq\":0}"));

        assertThat(replies()).singleElement().isEqualTo("close 1008 unauthenticated");
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("cut off a second after the close frame").isFalse();
    }

    @Test
    void aBadFrameBeforeAuthenticationAlsoClosesWith1008() {
        channel.writeInbound(new TextWebSocketFrame("{not json"));

        assertThat(replies()).singleElement().isEqualTo("close 1008 unauthenticated");
    }

    @Test
    void noAuthenticationWithinTheTimeoutClosesWith4001() {
        channel.advanceTimeBy(AUTH_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(replies()).isEmpty();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(replies()).singleElement().isEqualTo("close 4001 unauthenticated");
        assertThat(closes).containsExactly("auth_timeout");
    }

    @Test
    void aRefusedTokenIsAnsweredAndClosedWith4001() {
        authenticate("stolen");

        List<Object> replies = replies();
        assertThat(replies).hasSize(2);
        assertThat(((JsonNode) replies.get(0)).path("code").asText()).isEqualTo("unauthenticated");
        assertThat(replies.get(1)).isEqualTo("close 4001 unauthenticated");
    }

    @Test
    void anAuthenticatedSessionAnswersABadFrameWithAnErrorAndStaysOpen() {
        authenticate("good");
        assertThat(replies()).singleElement().satisfies(ready -> {
            assertThat(type(ready)).isEqualTo("session.ready");
            assertThat(((JsonNode) ready).path("userId").asText()).isEqualTo("11");
        });

        channel.writeInbound(new TextWebSocketFrame("{not json"));
        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"room.teleport\",\"id\":\"t-1\"}"));

        List<Object> replies = replies();
        assertThat(replies).hasSize(2);
        JsonNode notJson = (JsonNode) replies.get(0);
        assertThat(type(notJson)).isEqualTo("error");
        assertThat(notJson.path("code").asText()).isEqualTo("invalid_message");
        assertThat(notJson.path("re").isNull() || notJson.path("re").isMissingNode()).isTrue();
        JsonNode unknown = (JsonNode) replies.get(1);
        assertThat(unknown.path("code").asText()).isEqualTo("unsupported_type");
        assertThat(unknown.path("re").asText()).isEqualTo("t-1");
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aConnectionUnwritableForTheGracePeriodIsClosedWith4008() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(channel.isWritable()).isFalse();

        channel.advanceTimeBy(GRACE.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(replies()).isEmpty();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(replies()).containsExactly("64 bytes", "close 4008 slow_consumer");
        assertThat(closes).containsExactly("slow_consumer");
    }

    @Test
    void aConnectionWritableAgainWithinTheGracePeriodStaysOpen() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        channel.advanceTimeBy(GRACE.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        assertThat(replies()).containsExactly("64 bytes");

        channel.advanceTimeBy(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(replies()).isEmpty();
        assertThat(closes).isEmpty();
    }

    private void authenticate(String token) {
        channel.writeInbound(new TextWebSocketFrame(
                "{\"type\":\"session.authenticate\",\"id\":\"a-1\",\"token\":\"" + token + "\",\"proof\":\"p\"}"));
        channel.runPendingTasks();
    }

    /** What the handler wrote since the last call: JSON replies, close frames as "close CODE REASON", raw buffers by size. */
    private List<Object> replies() {
        channel.runPendingTasks();
        List<Object> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            try {
                if (o instanceof TextWebSocketFrame text) {
                    out.add(json.readTree(text.text()));
                } else if (o instanceof CloseWebSocketFrame close) {
                    out.add("close " + close.statusCode() + " " + close.reasonText());
                } else if (o instanceof io.netty.buffer.ByteBuf buf) {
                    out.add(buf.readableBytes() + " bytes");
                } else {
                    out.add(o);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out;
    }

    private static String type(Object reply) {
        return ((JsonNode) reply).path("type").asText();
    }
}
