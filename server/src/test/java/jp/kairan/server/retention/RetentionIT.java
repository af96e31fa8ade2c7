package jp.kairan.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.kairan.server.store.Database;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention on real MariaDB with the server's clock moved forward: messages older than the period are deleted with
 * their edit history and receipts in every room, idle ones included; nothing under a legal hold is; each run is
 * audited with counts.
 */
class RetentionIT {
    private static TestServer server;
    private static Database db;
    private static String orgId;
    private static SignedIn owner;
    private static SignedIn hanako;
    private static SignedIn ichiro;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.server().database();
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "己市", "owner.r", "己 所有者", "Sakura-Hana-808");
        orgId = org.id();
        owner = org.owner();
        hanako = server.createUser(owner, orgId, "hanako.r", "山本 花子", List.of(), "Ume-Haru-808-Aoi");
        ichiro = server.createUser(owner, orgId, "ichiro.r", "中村 一郎", List.of(), "Ume-Haru-808-Beni");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void freshTokens() {
        owner = server.signIn("owner.r", owner.password(), owner.totpSecret());
        hanako = server.signIn("hanako.r", hanako.password(), hanako.totpSecret());
        ichiro = server.signIn("ichiro.r", ichiro.password(), ichiro.totpSecret());
    }

    private static String room(String name) {
        Response r = server.post("/api/v1/rooms", Map.of("name", name, "memberIds", List.of(ichiro.userId())), hanako.accessToken());
        assertThat(r.status()).isEqualTo(201);
        return r.text("id");
    }

    private static List<String> send(String roomId, String... texts) {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            return java.util.Arrays.stream(texts).map(t -> {
                JsonNode ack = a.request(Map.of("type", "message.send", "id", UUID.randomUUID().toString(), "roomId", roomId, "text", t));
                assertThat(ack.path("type").asText()).isEqualTo("message.ack");
                return ack.path("messageId").asText();
            }).toList();
        }
    }

    private static long count(String sql, Object... args) {
        return db.call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }

    private static Response put(String path, Object body, String token) {
        return server.call("PUT", path, body, token, Map.of());
    }

    @Test
    void expiredMessagesGoInEveryRoomButNotUnderAHold() {
        String busy = room("防災係");
        String idle = room("旧プロジェクト");
        String held = room("訴訟対応");
        List<String> oldBusy = send(busy, "古い連絡 1", "古い連絡 2");
        send(idle, "もう使わない部屋の連絡");
        send(held, "保全対象の連絡");
        // An edit of an old message leaves its earlier text in message_versions.
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            JsonNode ok = a.request(Map.of("type", "message.edit", "id", a.nextId(), "roomId", busy, "messageId", oldBusy.get(0),
                    "text", "古い連絡 1（訂正）"));
            assertThat(ok.path("type").asText()).isEqualTo("ok");
            a.request(Map.of("type", "receipt.read", "id", a.nextId(), "roomId", busy, "seq", 2));
        }
        assertThat(count("SELECT COUNT(*) FROM message_versions WHERE message_id = ?", Long.parseLong(oldBusy.get(0)))).isOne();

        server.clock().advance(Duration.ofDays(400));
        freshTokens();
        send(busy, "新しい連絡");
        Response setOrg = put("/api/v1/orgs/" + orgId + "/retention", Map.of("days", 365), owner.accessToken());
        assertThat(setOrg.status()).isEqualTo(200);
        assertThat(setOrg.body().path("days").asInt()).isEqualTo(365);
        assertThat(put("/api/v1/orgs/" + orgId + "/retention", Map.of("days", 365), hanako.accessToken()).code()).isEqualTo("forbidden");
        assertThat(put("/api/v1/orgs/" + orgId + "/retention", Map.of("days", 0), owner.accessToken()).code()).isEqualTo("invalid_field");
        Response hold = server.post("/api/v1/orgs/" + orgId + "/holds", Map.of("scope", "room", "targetId", held,
                "reason", "情報公開請求への対応（令和8年第12号）"), owner.accessToken());
        assertThat(hold.status()).isEqualTo(201);
        assertThat(server.post("/api/v1/orgs/" + orgId + "/holds", Map.of("scope", "room", "targetId", held, "reason", " "),
                owner.accessToken()).code()).isEqualTo("invalid_field");
        Response bidi = server.post("/api/v1/orgs/" + orgId + "/holds", Map.of("scope", "room", "targetId", held,
                "reason", "請求\u202E号21第"), owner.accessToken());
        assertThat(bidi.code()).isEqualTo("invalid_field");
        assertThat(bidi.text("field")).isEqualTo("reason");

        Map<Long, RetentionService.PurgeResult> run = server.server().retention().purge();
        RetentionService.PurgeResult mine = run.get(Long.parseLong(orgId));
        assertThat(mine.messages()).isEqualTo(3);
        assertThat(mine.roomsHeld()).isEqualTo(1);
        assertThat(mine.versions()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM messages WHERE room_id = ?", Long.parseLong(busy))).isOne();
        assertThat(count("SELECT COUNT(*) FROM messages WHERE room_id = ?", Long.parseLong(idle))).isZero();
        assertThat(count("SELECT COUNT(*) FROM messages WHERE room_id = ?", Long.parseLong(held))).isOne();
        assertThat(count("SELECT COUNT(*) FROM message_versions WHERE message_id = ?", Long.parseLong(oldBusy.get(0)))).isZero();
        assertThat(count("SELECT COUNT(*) FROM read_receipts WHERE room_id = ? AND up_to_seq <= 2", Long.parseLong(busy))).isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_events WHERE action = 'retention.purged' AND org_id = ?", Long.parseLong(orgId)))
                .isOne();

        // History still reads, from what is left.
        JsonNode page = server.get("/api/v1/rooms/" + busy + "/messages", hanako.accessToken()).body();
        assertThat(page.path("messages")).extracting(m -> m.path("text").asText()).containsExactly("新しい連絡");

        Response released = server.post("/api/v1/orgs/" + orgId + "/holds/" + hold.text("id") + "/release",
                Map.of("reason", "対応完了"), owner.accessToken());
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.body().path("releasedAt").isNull()).isFalse();
        Response now = server.post("/api/v1/orgs/" + orgId + "/retention/purge", null, owner.accessToken());
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.body().path("messages").asLong()).isOne();
        assertThat(server.post("/api/v1/orgs/" + orgId + "/retention/purge", null, hanako.accessToken()).code()).isEqualTo("forbidden");
        assertThat(count("SELECT COUNT(*) FROM messages WHERE room_id = ?", Long.parseLong(held))).isZero();
        assertThat(count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'retention.hold.%' AND org_id = ?", Long.parseLong(orgId)))
                .isEqualTo(2);
    }

    @Test
    void aHoldOnAUserKeepsEveryRoomTheyAreInAndARoomMayKeepLonger() {
        freshTokens();
        String withIchiro = room("一郎さんとの相談");
        String longKept = room("条例制定の記録");
        send(withIchiro, "相談記録");
        send(longKept, "制定経過の記録");
        put("/api/v1/orgs/" + orgId + "/retention", Map.of("days", 30), owner.accessToken());
        assertThat(put("/api/v1/rooms/" + longKept + "/retention", Map.of("days", 3650), owner.accessToken()).status()).isEqualTo(200);
        Response userHold = server.post("/api/v1/orgs/" + orgId + "/holds", Map.of("scope", "user", "targetId", ichiro.userId(),
                "reason", "懲戒手続き"), owner.accessToken());
        assertThat(userHold.status()).isEqualTo(201);

        server.clock().advance(Duration.ofDays(60));
        freshTokens();
        server.server().retention().purge();
        assertThat(count("SELECT COUNT(*) FROM messages WHERE room_id = ?", Long.parseLong(withIchiro))).isOne();
        assertThat(count("SELECT COUNT(*) FROM messages WHERE room_id = ?", Long.parseLong(longKept))).isOne();
        JsonNode holds = server.get("/api/v1/orgs/" + orgId + "/holds", owner.accessToken()).body();
        assertThat(holds.toString()).contains("懲戒手続き");
        assertThat(server.get("/api/v1/orgs/" + orgId + "/holds", hanako.accessToken()).code()).isEqualTo("forbidden");
        server.post("/api/v1/orgs/" + orgId + "/holds/" + userHold.text("id") + "/release", Map.of("reason", "終了"), owner.accessToken());
        put("/api/v1/orgs/" + orgId + "/retention", new HashMap<>(Map.of()), owner.accessToken());
    }
}
