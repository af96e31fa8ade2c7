package jp.kairan.server.ceiling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.kairan.server.testing.Eventually;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Importance classes end to end on real MariaDB (POLICY.md): class-I content is refused before it is stored or
 * delivered and the refusal is audited with a keyed hash only; warnings need a confirmation that is audited; room
 * ceilings follow who may set them; emergency mode lifts the ceiling for a limited time with a second approver;
 * an org's own dictionary terms apply to its next message; drafts are checked without trace.
 */
class PolicyIT {
    private static final String MY_NUMBER_TEXT = "マイナンバーは 1234 5678 9018 です";
    private static TestServer server;
    private static String orgId;
    private static SignedIn owner;
    private static SignedIn owner2;
    private static SignedIn admin;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "丁町", "owner.d", "丁 所有者", "Sakura-Hana-202");
        orgId = org.id();
        owner = org.owner();
        owner2 = server.createUser(owner, orgId, "owner.e", "戊 所有者", List.of("owner"), "Ume-Haru-505-Aoi");
        admin = server.createUser(owner, orgId, "admin.f", "己 管理者", List.of("admin"), "Ume-Haru-505-Beni");
        hanako = server.createUser(owner, orgId, "hanako2", "山本 花子", List.of(), "Ume-Haru-505-Cha");
        ichiro = server.createUser(owner, orgId, "ichiro2", "中村 一郎", List.of(), "Ume-Haru-505-Dai");
        Response room = server.post("/api/v1/rooms", Map.of("name", "生活福祉課 相談", "memberIds", List.of(ichiro.userId())),
                hanako.accessToken());
        assertThat(room.status()).isEqualTo(201);
        roomId = room.text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshTokens() {
        // Tokens live five minutes of the test clock; emergencies move it by hours.
        owner = server.signIn("owner.d", owner.password(), owner.totpSecret());
        owner2 = server.signIn("owner.e", owner2.password(), owner2.totpSecret());
        admin = server.signIn("admin.f", admin.password(), admin.totpSecret());
        hanako = server.signIn("hanako2", hanako.password(), hanako.totpSecret());
        ichiro = server.signIn("ichiro2", ichiro.password(), ichiro.totpSecret());
    }

    private static Map<String, Object> send(String text) {
        return send(text, false);
    }

    private static Map<String, Object> send(String text, boolean confirmed) {
        Map<String, Object> frame = new HashMap<>(Map.of("type", "message.send", "id", UUID.randomUUID().toString(),
                "roomId", roomId, "text", text));
        if (confirmed) {
            frame.put("confirmed", true);
        }
        return frame;
    }

    private static Response put(String path, Object body, String token) {
        return server.call("PUT", path, body, token, Map.of());
    }

    private static List<Map<String, Object>> audit(String action) {
        return server.server().database().call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT actor_id, target_id, detail FROM audit_events WHERE action = ? ORDER BY id")) {
                ps.setString(1, action);
                List<Map<String, Object>> rows = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new HashMap<>();
                        row.put("actor", rs.getString(1));
                        row.put("target", rs.getString(2));
                        row.put("detail", rs.getString(3));
                        rows.add(row);
                    }
                }
                return rows;
            }
        }));
    }

    private static long storedWith(String fragment) {
        return server.server().database().call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE body LIKE ?")) {
                ps.setString(1, "%" + fragment + "%");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }

    @Test
    void aMyNumberIsBlockedNeverStoredNeverDeliveredAndAuditedByHashOnly() {
        int before = audit("policy.message.blocked").size();
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            JsonNode error = a.request(send(MY_NUMBER_TEXT));
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("content_blocked");
            assertThat(error.path("messageJa").asText()).contains("送信できない");
            assertThat(error.path("detail").asText()).isEqualTo("My Number ****-****-9018");
            JsonNode finding = error.path("findings").get(0);
            assertThat(finding.path("detector").asText()).isEqualTo("my_number");
            assertThat(finding.path("class").asText()).isEqualTo("I");
            assertThat(finding.path("verdict").asText()).isEqualTo("block");
            assertThat(finding.path("labelJa").asText() + " " + finding.path("excerpt").asText()).isEqualTo("マイナンバー ****-****-9018");
            assertThat(MY_NUMBER_TEXT.substring(finding.path("start").asInt(), finding.path("end").asInt())).isEqualTo("1234 5678 9018");
            assertThat(error.toString()).doesNotContain("1234 5678");

            JsonNode marker = a.request(send("ブロック確認後の通常メッセージ"));
            assertThat(marker.path("type").asText()).isEqualTo("message.ack");
            List<JsonNode> posted = b.collect(f -> f.path("type").asText().equals("message.posted"), Duration.ofSeconds(1));
            assertThat(posted).extracting(f -> f.path("message").path("text").asText())
                    .contains("ブロック確認後の通常メッセージ").noneMatch(t -> t.contains("5678"));
        }
        assertThat(storedWith("5678")).isZero();
        List<Map<String, Object>> blocked = audit("policy.message.blocked");
        assertThat(blocked).hasSize(before + 1);
        Map<String, Object> row = blocked.get(blocked.size() - 1);
        assertThat(row.get("actor")).isEqualTo(hanako.userId());
        assertThat(row.get("target")).isEqualTo(roomId);
        assertThat((String) row.get("detail")).contains("my_number").contains("textHash").doesNotContain("5678").doesNotContain("9018");
    }

    @Test
    void theSameTextHashesTheSameWayAndDifferentTextsDifferently() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            a.request(send("個人番号 465281266333 の件"));
            a.request(send("個人番号 465281266333 の件"));
            a.request(send("個人番号 983205673214 の件"));
        }
        List<Map<String, Object>> rows = audit("policy.message.blocked");
        List<String> hashes = rows.subList(rows.size() - 3, rows.size()).stream()
                .map(r -> Json.read((String) r.get("detail")).path("textHash").asText()).toList();
        assertThat(hashes.get(0)).isEqualTo(hashes.get(1)).isNotEqualTo(hashes.get(2)).hasSize(43);
    }

    @Test
    void aWarningNeedsAConfirmationWhichIsAudited() {
        int before = audit("policy.warning.confirmed").size();
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            Map<String, Object> first = send("202610160001");
            JsonNode warn = a.request(first);
            assertThat(warn.path("code").asText()).isEqualTo("confirmation_required");
            assertThat(warn.path("findings").get(0).path("verdict").asText()).isEqualTo("warn");
            assertThat(storedWith("202610160001")).isZero();

            Map<String, Object> confirmed = new HashMap<>(first);
            confirmed.put("confirmed", true);
            JsonNode ack = a.request(confirmed);
            assertThat(ack.path("type").asText()).isEqualTo("message.ack");
            assertThat(b.collect(f -> f.path("message").path("text").asText().equals("202610160001"), Duration.ofSeconds(2))).hasSize(1);
        }
        List<Map<String, Object>> rows = audit("policy.warning.confirmed");
        assertThat(rows).hasSize(before + 1);
        assertThat((String) rows.get(rows.size() - 1).get("detail")).contains("my_number").contains("messageId").doesNotContain("202610160001");
    }

    @Test
    void aConfirmationDoesNotUnblockWhatIsCertain() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            assertThat(a.request(send(MY_NUMBER_TEXT, true)).path("code").asText()).isEqualTo("content_blocked");
        }
    }

    @Test
    void aMaskedWelfareNotePassesAndANamedOneIsBlocked() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            assertThat(a.request(send("山田○○さんの生活保護の件、明日訪問します")).path("type").asText()).isEqualTo("message.ack");
            JsonNode blocked = a.request(send("山田太郎さんの生活保護の件、明日訪問します"));
            assertThat(blocked.path("code").asText()).isEqualTo("content_blocked");
            assertThat(blocked.path("findings").get(0).path("detector").asText()).isEqualTo("welfare");
            assertThat(blocked.path("findings").get(0).path("excerpt").asText()).isEqualTo("山田**");
        }
    }

    @Test
    void anEditIsClassifiedLikeASend() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            JsonNode ack = a.request(send("訪問予定の確認です"));
            JsonNode edit = a.request(Map.of("type", "message.edit", "id", a.nextId(), "roomId", roomId,
                    "messageId", ack.path("messageId").asText(), "text", MY_NUMBER_TEXT));
            assertThat(edit.path("code").asText()).isEqualTo("content_blocked");
        }
        assertThat(storedWith("5678")).isZero();
    }

    @Test
    void aDraftIsCheckedWithoutTrace() {
        int blocked = audit("policy.message.blocked").size();
        Response check = server.post("/api/v1/rooms/" + roomId + "/messages/check", Map.of("text", MY_NUMBER_TEXT),
                hanako.accessToken());
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.text("verdict")).isEqualTo("block");
        assertThat(check.text("class")).isEqualTo("I");
        assertThat(check.text("ceiling")).isEqualTo("II");
        assertThat(check.body().path("findings").get(0).path("excerpt").asText()).isEqualTo("****-****-9018");
        assertThat(audit("policy.message.blocked")).hasSize(blocked);

        Response clean = server.post("/api/v1/rooms/" + roomId + "/messages/check", Map.of("text", "お疲れさまです"),
                hanako.accessToken());
        assertThat(clean.text("verdict")).isEqualTo("allow");
        assertThat(clean.body().path("findings")).isEmpty();
        assertThat(server.post("/api/v1/rooms/" + roomId + "/messages/check", Map.of("text", "x"), owner2.accessToken()).code())
                .isEqualTo("forbidden");
        assertThat(server.post("/api/v1/rooms/" + roomId + "/messages/check", Map.of("text", ""), hanako.accessToken()).code())
                .isEqualTo("invalid_field");
    }

    @Test
    void ceilingsFollowWhoMaySetThem() {
        String path = "/api/v1/rooms/" + roomId + "/policy";
        try {
            Response stricter = put(path, Map.of("ceiling", "III"), hanako.accessToken());
            assertThat(stricter.status()).isEqualTo(200);
            assertThat(stricter.text("ceiling")).isEqualTo("III");
            assertThat(stricter.text("ownCeiling")).isEqualTo("III");
            try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
                assertThat(a.request(send("【取扱注意】来年度の予算案です")).path("code").asText()).isEqualTo("content_blocked");
            }
            assertThat(put(path, Map.of("ceiling", "IV"), ichiro.accessToken()).code()).isEqualTo("forbidden");
            int denied = audit("policy.action-denied").size();
            assertThat(put(path, Map.of("ceiling", "I"), hanako.accessToken()).code()).isEqualTo("forbidden");
            assertThat(put(path, Map.of("ceiling", "I"), admin.accessToken()).code()).isEqualTo("forbidden");
            assertThat(audit("policy.action-denied")).hasSize(denied + 2);
            assertThat(put(path, Map.of("ceiling", "V"), hanako.accessToken()).code()).isEqualTo("invalid_field");

            try (WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
                Response raised = put(path, Map.of("ceiling", "I"), owner.accessToken());
                assertThat(raised.text("effectiveCeiling")).isEqualTo("I");
                JsonNode pushed = b.awaitType("room.policy");
                assertThat(pushed.path("policy").path("ceiling").asText()).isEqualTo("I");
            }
            try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
                assertThat(a.request(send("山田太郎さんの保護費の件")).path("type").asText()).isEqualTo("message.ack");
            }
            assertThat(server.get("/api/v1/rooms/" + roomId, hanako.accessToken()).body().path("policy").path("ceiling").asText())
                    .isEqualTo("I");
        } finally {
            java.util.HashMap<String, Object> reset = new java.util.HashMap<>();
            reset.put("ceiling", null);
            Response back = put(path, reset, owner.accessToken());
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.text("ceiling")).isEqualTo("II");
            assertThat(back.body().path("ownCeiling").isNull()).isTrue();
        }
        assertThat(audit("policy.room-ceiling.changed")).isNotEmpty();
    }

    @Test
    void emergencyModeNeedsASecondApproverLiftsTheCeilingAndEndsByItself() {
        String path = "/api/v1/rooms/" + roomId + "/emergency";
        assertThat(server.post(path, Map.of("reason", "児童の安全確認"), hanako.accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.post(path, Map.of("reason", " "), owner.accessToken()).code()).isEqualTo("invalid_field");
        assertThat(server.post(path, Map.of("reason", "安全\u200B確認"), owner.accessToken()).code()).isEqualTo("invalid_field");
        assertThat(server.post(path, Map.of("reason", "x", "hours", 500), owner.accessToken()).code()).isEqualTo("invalid_field");

        Response pending = server.post(path, Map.of("reason", "児童の安全確認（虐待の疑い）", "hours", 2), owner.accessToken());
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.body().path("emergency").path("state").asText()).isEqualTo("pending");
        assertThat(pending.text("effectiveCeiling")).isEqualTo("II");
        assertThat(server.post(path, Map.of("reason", "二重"), owner2.accessToken()).code()).isEqualTo("conflict");
        assertThat(server.post(path + "/approve", null, owner.accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.post(path + "/approve", null, hanako.accessToken()).code()).isEqualTo("forbidden");

        String named = "佐々木翔太くん（5歳）への虐待の疑い、一時保護を検討";
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            assertThat(a.request(send(named)).path("code").asText()).isEqualTo("content_blocked");
            Response active = server.post(path + "/approve", null, admin.accessToken());
            assertThat(active.status()).isEqualTo(200);
            assertThat(active.body().path("emergency").path("state").asText()).isEqualTo("active");
            assertThat(active.body().path("emergency").path("approvedByName").asText()).isEqualTo("己 管理者");
            assertThat(active.text("effectiveCeiling")).isEqualTo("I");
            assertThat(a.awaitType("room.policy").path("policy").path("effectiveCeiling").asText()).isEqualTo("I");
            JsonNode sent = a.request(send(named));
            assertThat(sent.path("type").asText()).isEqualTo("message.ack");
        }
        assertThat(server.post("/api/v1/rooms/" + roomId + "/messages/check", Map.of("text", named), ichiro.accessToken())
                .body().path("emergency").asBoolean()).isTrue();
        // The record is written in its own transaction after the ack went out, so it may land a moment later.
        List<Map<String, Object>> sentDuring = Eventually.within(Duration.ofSeconds(10))
                .get("the emergency class-I record", () -> audit("policy.emergency.class-i-sent"), rows -> !rows.isEmpty());
        assertThat((String) sentDuring.get(sentDuring.size() - 1).get("detail")).contains("abuse").contains("textHash")
                .doesNotContain("佐々木");

        server.clock().advance(Duration.ofHours(2).plusMinutes(1));
        hanako = server.signIn("hanako2", hanako.password(), hanako.totpSecret());
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            assertThat(a.request(send(named)).path("code").asText()).as("the emergency ended by itself").isEqualTo("content_blocked");
        }
        assertThat(server.server().policies().rooms().expireDue()).isEqualTo(1);
        assertThat(audit("policy.emergency.expired")).hasSize(1);
        owner = server.signIn("owner.d", owner.password(), owner.totpSecret());
        Response after = server.get("/api/v1/rooms/" + roomId + "/policy", owner.accessToken());
        assertThat(after.body().path("emergency").isNull()).isTrue();
        assertThat(server.call("DELETE", path, null, owner.accessToken(), Map.of()).code()).isEqualTo("not_found");
    }

    @Test
    void anOrgAllowingASingleApproverStartsAtOnceAndItCanBeEndedEarly() {
        Response org = put("/api/v1/orgs/" + orgId + "/policy", Map.of("emergencySingleApprover", true, "emergencyMaxHours", 48),
                owner.accessToken());
        assertThat(org.status()).isEqualTo(200);
        assertThat(org.body().path("policy").path("emergencySingleApprover").asBoolean()).isTrue();
        assertThat(put("/api/v1/orgs/" + orgId + "/policy", Map.of("defaultCeiling", "I"), admin.accessToken()).code())
                .isEqualTo("forbidden");
        try {
            String path = "/api/v1/rooms/" + roomId + "/emergency";
            Response active = server.post(path, Map.of("reason", "台風による避難所の要配慮者対応"), owner.accessToken());
            assertThat(active.body().path("emergency").path("state").asText()).isEqualTo("active");
            assertThat(active.body().path("emergency").path("hours").asInt()).isEqualTo(24);
            Response ended = server.call("DELETE", path, null, owner2.accessToken(), Map.of());
            assertThat(ended.status()).isEqualTo(200);
            assertThat(ended.body().path("emergency").isNull()).isTrue();
            assertThat(ended.text("effectiveCeiling")).isEqualTo("II");
        } finally {
            put("/api/v1/orgs/" + orgId + "/policy", Map.of("emergencySingleApprover", false), owner.accessToken());
        }
    }

    @Test
    void aNewOrgDefaultReachesTheRoomsThatFollowIt() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            Response org = put("/api/v1/orgs/" + orgId + "/policy", Map.of("defaultCeiling", "III"), owner.accessToken());
            assertThat(org.body().path("policy").path("defaultCeiling").asText()).isEqualTo("III");
            JsonNode pushed = a.awaitType("room.policy");
            assertThat(pushed.path("roomId").asText()).isEqualTo(roomId);
            assertThat(pushed.path("policy").path("ceiling").asText()).isEqualTo("III");
            assertThat(a.request(send("【取扱注意】来年度の予算案です")).path("code").asText()).isEqualTo("content_blocked");
        } finally {
            put("/api/v1/orgs/" + orgId + "/policy", Map.of("defaultCeiling", "II"), owner.accessToken());
        }
        assertThat(audit("policy.org.changed")).isNotEmpty();
    }

    @Test
    void anOrgsOwnTermsApplyToItsNextMessage() {
        String path = "/api/v1/orgs/" + orgId + "/policy/terms";
        String text = "田村健太さんの緊急小口資金の件";
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            assertThat(a.request(send(text)).path("type").asText()).isEqualTo("message.ack");
            assertThat(put(path, Map.of("terms", List.of(Map.of("category", "welfare", "kind", "cue", "term", "緊急小口資金"))),
                    hanako.accessToken()).code()).isEqualTo("forbidden");
            Response saved = put(path, Map.of("terms", List.of(Map.of("category", "welfare", "kind", "cue", "term", "緊急小口資金"),
                    Map.of("category", "welfare", "kind", "cue", "term", "緊急小口資金"))), admin.accessToken());
            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.body().path("terms")).hasSize(1);
            assertThat(saved.body().path("builtIn").path("welfare").path("cue").toString()).contains("生活保護");
            assertThat(a.request(send(text)).path("code").asText()).isEqualTo("content_blocked");
        } finally {
            put(path, Map.of("terms", List.of()), admin.accessToken());
        }
        assertThat(put(path, Map.of("terms", List.of(Map.of("category", "nope", "kind", "cue", "term", "x"))), admin.accessToken())
                .code()).isEqualTo("invalid_field");
        assertThat(put(path, Map.of("terms", List.of(Map.of("category", "general", "kind", "cue", "term", "制度"))),
                admin.accessToken()).code()).isEqualTo("invalid_field");
        assertThat(server.get(path, hanako.accessToken()).code()).isEqualTo("forbidden");
        assertThat(audit("policy.terms.changed")).isNotEmpty();
    }

    /** JSON parsing for audit details. */
    private static final class Json {
        static JsonNode read(String s) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
