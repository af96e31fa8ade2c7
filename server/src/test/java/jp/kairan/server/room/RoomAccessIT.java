package jp.kairan.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who can read what: members read their rooms; the org's owners read any room of their org read-only, each
 * read audited; the operator, admins and auditors who are not members and users of other organizations get
 * {@code forbidden} on every path — gateway frames, history, readers, room details, member changes.
 */
class RoomAccessIT {
    private static TestServer server;
    private static SignedIn operator;
    private static SignedIn owner;
    private static SignedIn admin;
    private static SignedIn auditor;
    private static SignedIn member;
    private static SignedIn colleague;
    private static SignedIn otherOrgUser;
    private static String roomId;
    private static String orgA;
    private static long seq;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        operator = server.operator();
        TestServer.Org a = server.createOrg(operator, "甲市", "own.a", "甲 所有者", "Sakura-Hana-101");
        orgA = a.id();
        owner = a.owner();
        admin = user(orgA, "adm.a", "管理 花子", List.of("admin"));
        auditor = user(orgA, "aud.a", "監査 太郎", List.of("auditor"));
        member = user(orgA, "mem.a", "職員 一郎", List.of());
        colleague = user(orgA, "mem.b", "職員 二郎", List.of());
        otherOrgUser = server.createOrg(operator, "乙町", "own.b", "乙 所有者", "Fuji-Yama-202").owner();

        roomId = server.post("/api/v1/rooms", Map.of("name", "福祉課 相談", "memberIds", List.of(colleague.userId())),
                member.accessToken()).text("id");
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), member.accessToken())) {
            seq = ws.request(Map.of("type", "message.send", "id", "k1", "roomId", roomId, "text", "非公開の相談です")).path("seq").asLong();
        }
    }

    static SignedIn user(String orgId, String loginId, String name, List<String> roles) {
        return server.createUser(owner, orgId, loginId, name, roles, "Kaede-Aki-303-" + loginId.length() + name.length());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void membersReadTheirRoom() {
        assertThat(server.get("/api/v1/rooms/" + roomId, colleague.accessToken()).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/rooms/" + roomId + "/messages", colleague.accessToken()).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/rooms/" + roomId + "/messages/" + seq + "/readers", colleague.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void ownersReadAnyRoomOfTheirOrgReadOnlyAndEachReadIsAudited() {
        Response detail = server.get("/api/v1/rooms/" + roomId, owner.accessToken());
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body().path("readOnly").asBoolean()).isTrue();
        assertThat(detail.body().path("myRole").isNull()).isTrue();
        Response all = server.get("/api/v1/orgs/" + orgA + "/rooms", owner.accessToken());
        assertThat(all.body().findValues("id")).extracting(JsonNode::asText).contains(roomId);
        assertThat(all.body().get(0).path("lastMessage").isNull()).as("the list carries no content").isTrue();
        Response history = server.get("/api/v1/rooms/" + roomId + "/messages", owner.accessToken());
        assertThat(history.body().path("messages").get(0).path("text").asText()).isEqualTo("非公開の相談です");
        int audited = server.server().database().call(tx -> ((Number) tx.session().createNativeQuery(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'room.read.by-owner' AND target_id = :room", Long.class)
                .setParameter("room", roomId).getSingleResult()).intValue());
        assertThat(audited).isGreaterThanOrEqualTo(2);
        // Read-only: over the gateway an owner who is not a member can do nothing in the room.
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), owner.accessToken())) {
            assertThat(code(ws.request(Map.of("type", "message.send", "id", "o1", "roomId", roomId, "text", "所有者です")))).isEqualTo("forbidden");
            assertThat(code(ws.request(Map.of("type", "message.sync", "id", "o2", "roomId", roomId, "afterSeq", 0)))).isEqualTo("forbidden");
        }
        assertThat(server.post("/api/v1/rooms/" + roomId + "/members", Map.of("userIds", List.of(owner.userId())),
                owner.accessToken()).code()).isEqualTo("forbidden");
    }

    @Test
    void everyoneElseIsForbiddenOnEveryPath() {
        for (SignedIn outsider : List.of(admin, auditor, otherOrgUser)) {
            String token = outsider.accessToken();
            assertThat(server.get("/api/v1/rooms/" + roomId, token).code()).as("room detail").isEqualTo("forbidden");
            assertThat(server.get("/api/v1/rooms/" + roomId, token).status()).isEqualTo(403);
            assertThat(server.get("/api/v1/rooms/" + roomId + "/messages", token).code()).as("history").isEqualTo("forbidden");
            assertThat(server.get("/api/v1/rooms/" + roomId + "/messages/" + seq + "/readers", token).code()).as("readers").isEqualTo("forbidden");
            assertThat(server.patch("/api/v1/rooms/" + roomId, Map.of("name", "乗っ取り"), token).code()).isEqualTo("forbidden");
            assertThat(server.post("/api/v1/rooms/" + roomId + "/members", Map.of("userIds", List.of(outsider.userId())), token).code())
                    .isEqualTo("forbidden");
            assertThat(server.get("/api/v1/rooms", token).body().toString()).doesNotContain(roomId);
            assertThat(server.get("/api/v1/orgs/" + orgA + "/rooms", token).status()).as("org room list").isIn(403, 404);
            try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), token)) {
                for (Map<String, Object> frame : List.<Map<String, Object>>of(
                        Map.of("type", "message.send", "id", "f1", "roomId", roomId, "text", "のぞき"),
                        Map.of("type", "message.sync", "id", "f2", "roomId", roomId, "afterSeq", 0),
                        Map.of("type", "message.history", "id", "f3", "roomId", roomId),
                        Map.of("type", "receipt.read", "id", "f4", "roomId", roomId, "seq", seq),
                        Map.of("type", "reaction.add", "id", "f5", "roomId", roomId, "messageId", "1", "emoji", "👀"),
                        Map.of("type", "message.delete", "id", "f6", "roomId", roomId, "messageId", "1"),
                        Map.of("type", "typing.start", "id", "f7", "roomId", roomId))) {
                    assertThat(code(ws.request(frame))).as(outsider.userId() + " " + frame.get("type")).isEqualTo("forbidden");
                }
            }
        }
        // A room that does not exist looks the same as one that is not yours.
        assertThat(server.get("/api/v1/rooms/4242", member.accessToken()).code()).isEqualTo("forbidden");
    }

    @Test
    void theOperatorTakesNoPartInTalks() {
        assertThat(server.get("/api/v1/rooms/" + roomId, operator.accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.get("/api/v1/rooms/" + roomId + "/messages", operator.accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.post("/api/v1/rooms", Map.of("name", "運用"), operator.accessToken()).code()).isEqualTo("forbidden");
        try (WsClient ws = WsClient.connect(server.gatewayUrl())) {
            JsonNode reply = ws.authenticate(operator.accessToken());
            assertThat(code(reply)).isEqualTo("forbidden");
            assertThat(ws.closeCode()).isEqualTo(4003);
        }
    }

    @Test
    void roomsAdmitOnlyActiveUsersOfTheirOrganization() {
        Response r = server.post("/api/v1/rooms/" + roomId + "/members", Map.of("userIds", List.of(otherOrgUser.userId())),
                member.accessToken());
        assertThat(r.code()).isEqualTo("invalid_field");
        Response direct = server.post("/api/v1/rooms/direct", Map.of("userId", otherOrgUser.userId()), member.accessToken());
        assertThat(direct.code()).isEqualTo("invalid_field");
        Response ok = server.post("/api/v1/rooms/direct", Map.of("userId", colleague.userId()), member.accessToken());
        Response again = server.post("/api/v1/rooms/direct", Map.of("userId", member.userId()), colleague.accessToken());
        assertThat(again.text("id")).isEqualTo(ok.text("id"));
        assertThat(again.text("name")).isEqualTo("職員 一郎");
    }

    private static String code(JsonNode reply) {
        return reply.path("code").asText(reply.path("type").asText());
    }
}
