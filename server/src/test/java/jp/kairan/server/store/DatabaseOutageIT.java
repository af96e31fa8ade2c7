package jp.kairan.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.Eventually;
import jp.kairan.server.testing.OutageMariaDb;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The database is killed under a running server: sends and HTTP calls answer a retryable
 * {@code database_unavailable}, readiness turns 503 within two seconds, the log holds one line for the outage
 * and one for its end (no stack traces), and once the database is back everything works without a restart.
 */
class DatabaseOutageIT {
    private static OutageMariaDb db;
    private static TestServer server;
    private static SignedIn owner;
    private static String roomId;

    @BeforeAll
    static void start() {
        db = OutageMariaDb.start();
        server = TestServer.start(Map.of("database.jdbc-url", db.jdbcUrl(), "database.user", db.user(),
                "database.password", db.password()));
        TestServer.Org org = server.createOrg(server.operator(), "停電村", "owner", "所有者", "Sakura-Hana-101");
        owner = org.owner();
        roomId = server.post("/api/v1/rooms", Map.of("name", "連絡", "memberIds", List.of()), owner.accessToken()).text("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void anOutageIsRefusedRetryablyLoggedOnceAndOverWithoutARestart() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), owner.accessToken())) {
            assertThat(ws.request(send("before")).path("type").asText()).isEqualTo("message.ack");

            db.kill();

            TestServer.Response refused = Eventually.within(Duration.ofSeconds(40)).every(Duration.ofMillis(200))
                    .get("an HTTP call is refused", () -> server.get("/api/v1/rooms", owner.accessToken()),
                            r -> r.status() != 200);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("database_unavailable");
            assertThat(refused.body().path("retryable").asBoolean()).isTrue();

            long t0 = System.nanoTime();
            TestServer.Response ready = server.get("/health/ready", null);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.code()).isEqualTo("database_unavailable");

            JsonNode reply = ws.request(send("during"));
            assertThat(reply.path("type").asText()).isEqualTo("error");
            assertThat(reply.path("code").asText()).isEqualTo("database_unavailable");
            assertThat(reply.path("retryable").asBoolean()).isTrue();

            db.restart();

            Eventually.within(Duration.ofSeconds(30)).every(Duration.ofMillis(200))
                    .until("ready again", () -> server.get("/health/ready", null).status() == 200);
            assertThat(ws.request(send("during")).path("type").asText()).isEqualTo("message.ack");
            assertThat(server.get("/api/v1/rooms", owner.accessToken()).status()).isEqualTo(200);
        } finally {
            root.detachAppender(logged);
        }
        List<ILoggingEvent> events = List.copyOf(logged.list);
        assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith("database unreachable since")).hasSize(1);
        assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith("database reachable again after")).hasSize(1);
        // No stack trace of Kairan's; HikariCP warns once per pooled connection it finds broken (bounded by the pool).
        assertThat(events).filteredOn(e -> e.getThrowableProxy() != null && !e.getLoggerName().startsWith("com.zaxxer.hikari"))
                .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).isEmpty();
        assertThat(events).filteredOn(e -> e.getThrowableProxy() != null).hasSizeLessThanOrEqualTo(16);
    }

    private static Map<String, Object> send(String id) {
        return Map.of("type", "message.send", "id", id, "roomId", roomId, "text", "停電中の連絡 " + id);
    }
}
