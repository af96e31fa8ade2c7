package jp.kairan.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.kairan.server.testing.Eventually;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liveness is judged by what the server receives: a connection that answers pings stays however quiet it is,
 * even while it only receives; one that answers nothing is closed as idle, and the close is counted.
 */
class GatewayLivenessIT {
    private static TestServer server;
    private static SignedIn reader;
    private static SignedIn writer;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("gateway.ping-interval", "1s", "gateway.idle-timeout", "3s"));
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "己村", "writer", "書き手", "Sakura-Hana-101");
        writer = org.owner();
        reader = server.createUser(writer, org.id(), "reader", "読み手", List.of(), "Fuji-Yama-202");
        roomId = server.post("/api/v1/rooms", Map.of("name", "掲示", "memberIds", List.of(reader.userId())), writer.accessToken()).text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMemberWhoOnlyReceivesStaysConnected() throws Exception {
        try (WsClient r = WsClient.signedIn(server.gatewayUrl(), reader.accessToken());
             WsClient w = WsClient.signedIn(server.gatewayUrl(), writer.accessToken())) {
            for (int i = 0; i < 10; i++) {
                w.request(Map.of("type", "message.send", "id", "live-" + i, "roomId", roomId, "text", "お知らせ " + i));
                // Five seconds in all of receiving only, well past the 3 s idle timeout: the JDK client answers the pings.
                Eventually.within(Duration.ofMillis(500)).never("the receiving member's connection closed", r::isClosed);
            }
            assertThat(r.isClosed()).isFalse();
            assertThat(r.request(Map.of("type", "message.sync", "id", "still", "roomId", roomId, "afterSeq", 0)).path("type").asText())
                    .isEqualTo("message.page");
        }
    }

    @Test
    void aConnectionThatAnswersNothingIsClosedAsIdle() throws Exception {
        // A client that reads the hello and then nothing more never sees the pings, so it never answers them.
        java.util.concurrent.CompletableFuture<String> hello = new java.util.concurrent.CompletableFuture<>();
        WebSocket deaf = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("kairan.v1")
                .buildAsync(URI.create(server.gatewayUrl()), WsClient.readingOnlyTheFirstFrame(hello)).get(10, TimeUnit.SECONDS);
        deaf.sendText(WsClient.authenticateFrame(reader.accessToken(), server.gatewayUrl(), hello.get(10, TimeUnit.SECONDS)), true).join();
        try {
            Eventually.within(Duration.ofSeconds(15)).every(Duration.ofMillis(200))
                    .until("an idle close is counted", () -> idleCloses() > 0);
        } finally {
            deaf.abort();
        }
    }

    private static double idleCloses() {
        for (String line : server.metrics().split("\n")) {
            if (line.startsWith("kairan_gateway_closes_total{reason=\"idle_timeout\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
