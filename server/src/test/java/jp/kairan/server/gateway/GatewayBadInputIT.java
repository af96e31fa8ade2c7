package jp.kairan.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import jp.kairan.server.testing.Eventually;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the gateway gets its documented error or close code, and the server keeps serving: malformed
 * JSON, unknown types, oversized and binary frames, frames before authentication, bad tokens, foreign rooms,
 * sequence numbers from the future, refused origins and versions, a few thousand random and mutated frames,
 * and a consumer too slow to read.
 */
class GatewayBadInputIT {
    private static TestServer server;
    private static SignedIn alice;
    private static SignedIn bob;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("gateway.write-buffer-high-bytes", "65536", "gateway.slow-consumer-grace", "1s",
                "gateway.sends-per-second", "100000", "gateway.send-burst", "100000", "gateway.allowed-origins", "https://chat.city.example",
                "gateway.handshake-timeout", "2s"));
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "丁市", "alice", "有栖", "Sakura-Hana-101");
        alice = org.owner();
        bob = server.createUser(alice, org.id(), "bob", "母部", List.of(), "Fuji-Yama-202");
        roomId = server.post("/api/v1/rooms", Map.of("name", "試験", "memberIds", List.of(bob.userId())), alice.accessToken()).text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedFramesGetErrorsAndTheConnectionStays() {
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), alice.accessToken())) {
            ws.sendText("{not json");
            assertThat(ws.awaitType("error").path("code").asText()).isEqualTo("invalid_message");
            ws.sendText("[1,2,3]");
            assertThat(ws.awaitType("error").path("code").asText()).isEqualTo("invalid_message");
            JsonNode unknown = ws.request("{\"type\":\"room.explode\",\"id\":\"u1\"}");
            assertThat(unknown.path("code").asText()).isEqualTo("unsupported_type");
            JsonNode missing = ws.request("{\"type\":\"message.send\",\"id\":\"m1\",\"roomId\":\"" + roomId + "\"}");
            assertThat(missing.path("code").asText()).isEqualTo("invalid_message");
            JsonNode wrongType = ws.request("{\"type\":\"message.sync\",\"id\":\"m2\",\"roomId\":\"" + roomId + "\",\"afterSeq\":\"3\"}");
            assertThat(wrongType.path("code").asText()).isEqualTo("invalid_message");
            assertThat(wrongType.path("detail").asText()).contains("afterSeq");
            JsonNode hugeId = ws.request("{\"type\":\"message.sync\",\"id\":\"m3\",\"roomId\":\"99999999999999999999\",\"afterSeq\":0}");
            assertThat(hugeId.path("code").asText()).isEqualTo("invalid_message");
            JsonNode foreign = ws.request(Map.of("type", "message.send", "id", "m4", "roomId", "123456789", "text", "どこ？"));
            assertThat(foreign.path("code").asText()).isEqualTo("forbidden");
            JsonNode future = ws.request(Map.of("type", "receipt.read", "id", "m5", "roomId", roomId, "seq", 1_000_000));
            assertThat(future.path("code").asText()).isEqualTo("invalid_seq");
            // Still healthy.
            assertThat(ws.request(Map.of("type", "message.send", "id", "ok1", "roomId", roomId, "text", "元気です"))
                    .path("type").asText()).isEqualTo("message.ack");
        }
    }

    /**
     * Issue #16: message text keeps bidi and zero-width characters as sent (clients show them) but not an unpaired
     * surrogate; a reaction is one real emoji, not a letter or a bidi control.
     */
    @Test
    void messageTextKeepsBidiControlsButReactionsTakeOnlyEmoji() {
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), alice.accessToken())) {
            JsonNode ack = ws.request("{\"type\":\"message.send\",\"id\":\"bidi1\",\"roomId\":\"" + roomId
                    + "\",\"text\":\"invoice\\u202Egpj.exe \\u200B\"}");
            assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("message.ack");
            String messageId = ack.path("messageId").asText();
            JsonNode page = ws.request(Map.of("type", "message.sync", "id", "bidi2", "roomId", roomId,
                    "afterSeq", ack.path("seq").asLong() - 1, "limit", 1));
            assertThat(page.path("messages").get(0).path("text").asText()).isEqualTo("invoice\u202Egpj.exe \u200B");

            JsonNode lone = ws.request("{\"type\":\"message.send\",\"id\":\"bidi3\",\"roomId\":\"" + roomId
                    + "\",\"text\":\"会議\\ud800\"}");
            assertThat(lone.path("code").asText()).isEqualTo("invalid_message");
            assertThat(lone.path("detail").asText()).isEqualTo("text");
            JsonNode loneEdit = ws.request("{\"type\":\"message.edit\",\"id\":\"bidi4\",\"roomId\":\"" + roomId
                    + "\",\"messageId\":\"" + messageId + "\",\"text\":\"\\udc00会議\"}");
            assertThat(loneEdit.path("code").asText()).isEqualTo("invalid_message");

            for (String notEmoji : List.of("x", "\\u202E", "1", "\\u200B", "👍\\u202E", "👍👍")) {
                JsonNode refused = ws.request("{\"type\":\"reaction.add\",\"id\":\"r-" + notEmoji + "\",\"roomId\":\"" + roomId
                        + "\",\"messageId\":\"" + messageId + "\",\"emoji\":\"" + notEmoji + "\"}");
                assertThat(refused.path("code").asText()).as(notEmoji).isEqualTo("invalid_message");
                assertThat(refused.path("detail").asText()).as(notEmoji).isEqualTo("emoji");
            }
            for (String emoji : List.of("👍", "❤️", "1️⃣", "🇯🇵", "👨\u200D👩\u200D👧", "👍🏽")) {
                assertThat(ws.request(Map.of("type", "reaction.add", "id", "ok-" + emoji, "roomId", roomId, "messageId", messageId,
                        "emoji", emoji)).path("type").asText()).as(emoji).isEqualTo("ok");
            }
        }
    }

    @Test
    void aFrameBeforeAuthenticationClosesWith1008() {
        try (WsClient ws = WsClient.connect(server.gatewayUrl())) {
            ws.sendText("{\"type\":\"message.sync\",\"id\":\"x\",\"roomId\":\"1\",\"afterSeq\":0}");
            assertThat(ws.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void badTokensCloseWith4001() {
        try (WsClient ws = WsClient.connect(server.gatewayUrl())) {
            JsonNode reply = ws.authenticate("eyJnot.a.token", "eyJnot.a.proof");
            assertThat(reply.path("code").asText()).isEqualTo("unauthenticated");
            assertThat(ws.closeCode()).isEqualTo(4001);
        }
    }

    @Test
    void oversizedAndBinaryFramesClose() {
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), alice.accessToken())) {
            ws.sendText("{\"type\":\"message.send\",\"id\":\"big\",\"roomId\":\"" + roomId + "\",\"text\":\"" + "あ".repeat(40_000) + "\"}");
            assertThat(ws.closeCode()).isEqualTo(1009);
        }
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), alice.accessToken())) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.closeCode()).isEqualTo(1003);
        }
    }

    @Test
    void handshakesFromOtherSitesOrVersionsAreRefusedWithACode() throws Exception {
        assertThat(handshakeStatus("https://evil.example", "kairan.v1")).isEqualTo(403);
        assertThat(handshakeStatus("https://chat.city.example", "kairan.v9")).isEqualTo(400);
        assertThat(handshakeStatus(null, null)).isEqualTo(400);
        // The refusal is JSON with a stable code, readable by any client.
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.gatewayUrl().replace("ws:", "http:")))
                .header("Sec-WebSocket-Protocol", "kairan.v9").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Sec-WebSocket-Version", "13").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(426);
        assertThat(res.body()).contains("unsupported_version");
        try (WsClient ok = WsClient.connect(server.gatewayUrl(), "https://chat.city.example", "kairan.v1")) {
            assertThat(ok.authenticate(bob.accessToken()).path("type").asText())
                    .isEqualTo("session.ready");
        }
    }

    /** Issue #16: a client trickling an unfinished upgrade request is closed once the handshake timeout passes. */
    @Test
    void anUpgradeRequestTrickledSlowlyIsCutOffAtTheHandshakeTimeout() throws Exception {
        URI gateway = URI.create(server.gatewayUrl());
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(300);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\nUpgrade: websocket\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            long giveUp = started + Duration.ofSeconds(8).toNanos();
            boolean closed = false;
            // One more header byte every 300 ms (the read's timeout paces it): never a complete request.
            while (!closed && System.nanoTime() < giveUp) {
                try {
                    out.write('x');
                    out.flush();
                    closed = socket.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // trickle on
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            Duration open = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closed).as("closed by the server within the handshake timeout plus a margin").isTrue();
            assertThat(open).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
        // Normal handshakes still complete.
        try (WsClient ok = WsClient.connect(server.gatewayUrl())) {
            assertThat(ok.authenticate(bob.accessToken()).path("type").asText()).isEqualTo("session.ready");
        }
    }

    /** Issue #16: an oversized upgrade header gets 431 headers_too_large, not unsupported_version. */
    @Test
    void anOversizedUpgradeHeaderGets431() throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.gatewayUrl().replace("ws:", "http:")))
                .header("Sec-WebSocket-Protocol", "kairan.v1").header("X-Padding", "p".repeat(20_000))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(431);
        assertThat(res.body()).contains("\"code\":\"headers_too_large\"").doesNotContain("unsupported_version");
    }

    private static int handshakeStatus(String origin, String subprotocol) {
        try {
            WsClient.connect(server.gatewayUrl(), origin, subprotocol).close();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void thousandsOfRandomAndMutatedFramesLeaveTheServerServing() {
        Random random = new Random(20261126);
        List<String> seeds = List.of(
                "{\"type\":\"message.send\",\"id\":\"s\",\"roomId\":\"" + roomId + "\",\"text\":\"こんにちは\"}",
                "{\"type\":\"message.sync\",\"id\":\"y\",\"roomId\":\"" + roomId + "\",\"afterSeq\":0,\"limit\":5}",
                "{\"type\":\"receipt.read\",\"id\":\"r\",\"roomId\":\"" + roomId + "\",\"seq\":1}",
                "{\"type\":\"reaction.add\",\"id\":\"e\",\"roomId\":\"" + roomId + "\",\"messageId\":\"1\",\"emoji\":\"👍\"}",
                "{\"type\":\"presence.set\",\"id\":\"p\",\"status\":\"away\"}",
                "{\"type\":\"message.history\",\"id\":\"h\",\"roomId\":\"" + roomId + "\",\"beforeSeq\":10}");
        int sent = 0;
        int connections = 0;
        while (sent < 3000) {
            WsClient ws = WsClient.signedIn(server.gatewayUrl(), alice.accessToken());
            connections++;
            for (int i = 0; i < 500 && !ws.isClosed(); i++, sent++) {
                String frame = random.nextInt(5) == 0 ? randomText(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
                try {
                    ws.sendText(frame);
                } catch (RuntimeException e) {
                    break;
                }
            }
            ws.abort();
        }
        assertThat(connections).isGreaterThan(0);
        // Others are still served, and the fuzzing connections left no trace in the registry's accounting.
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), alice.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), bob.accessToken())) {
            JsonNode ack = a.request(Map.of("type", "message.send", "id", "after-fuzz", "roomId", roomId, "text", "無事です"));
            assertThat(ack.path("type").asText()).isEqualTo("message.ack");
            b.await(f -> f.path("type").asText().equals("message.posted") && f.path("message").path("text").asText().equals("無事です"));
        }
        assertThat(server.get("/health/ready", null).status()).isEqualTo(200);
    }

    private static String mutate(String seed, Random random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, (char) random.nextInt(0x3100));
                case 2 -> s.setCharAt(at, "{}[]\":,0123456789-e.\\ntrue".charAt(random.nextInt(26)));
                case 3 -> s.insert(at, s.substring(0, random.nextInt(s.length())));
                default -> s.replace(at, Math.min(s.length(), at + 3), "\"id\":\"" + random.nextInt() + "\"");
            }
        }
        // Mutations may also make ids unique, so some sends really store; the limit keeps frames under 64 KiB.
        return s.length() > 60_000 ? s.substring(0, 60_000) : s.toString();
    }

    private static String randomText(Random random) {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aConsumerThatStopsReadingIsClosedAndOthersAreUnaffected() throws Exception {
        // A client that never asks for more data: its socket fills, the server's buffer passes the water mark.
        java.util.concurrent.CompletableFuture<String> hello = new java.util.concurrent.CompletableFuture<>();
        WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("kairan.v1")
                .buildAsync(URI.create(server.gatewayUrl()), WsClient.readingOnlyTheFirstFrame(hello)).get(10, TimeUnit.SECONDS);
        stalled.sendText(WsClient.authenticateFrame(bob.accessToken(), server.gatewayUrl(), hello.get(10, TimeUnit.SECONDS)), true).join();
        Eventually.within(Duration.ofSeconds(10)).until("bob's stalled connection is authenticated (bob online)", () -> {
            for (JsonNode p : server.get("/api/v1/presence", alice.accessToken()).body()) {
                if (p.path("userId").asText().equals(bob.userId())) {
                    return true;
                }
            }
            return false;
        });
        String big = "長文".repeat(2000);
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), alice.accessToken())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int i = 0;
            while (slowConsumersClosed() == 0 && System.nanoTime() < deadline) {
                a.request(Map.of("type", "message.send", "id", "flood-" + i++, "roomId", roomId, "text", big));
            }
            assertThat(slowConsumersClosed()).as("slow consumers closed").isPositive();
            // Issue #16: more events while the close is under way neither close nor count it again.
            for (int k = 0; k < 30; k++) {
                a.request(Map.of("type", "message.send", "id", "flood-more-" + k, "roomId", roomId, "text", big));
            }
            Eventually.within(Duration.ofSeconds(10)).until("bob's stalled connection is gone", () -> {
                for (JsonNode p : server.get("/api/v1/presence", alice.accessToken()).body()) {
                    if (p.path("userId").asText().equals(bob.userId())) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(slowConsumersClosed()).as("the slow consumer is closed and counted once").isEqualTo(1.0);
            assertThat(a.request(Map.of("type", "message.send", "id", "after-flood", "roomId", roomId, "text", "大丈夫"))
                    .path("type").asText()).isEqualTo("message.ack");
        } finally {
            stalled.abort();
        }
    }

    private static double slowConsumersClosed() {
        String metrics = server.metrics();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("kairan_gateway_closes_total{reason=\"slow_consumer")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
