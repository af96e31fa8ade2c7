package jp.kairan.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
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
 * Talking over the gateway on real MariaDB: send → ack after commit → delivery to every member in seq order,
 * idempotent retries, resume after a disconnect with exactly the missed messages, history paging, read
 * receipts with reader lists, edits, deletions, reactions, replies and mentions, and the room list's counts.
 */
class TalkIT {
    private static TestServer server;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    private static SignedIn jiro;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "丙村", "owner.c", "丙 所有者", "Sakura-Hana-101");
        hanako = server.createUser(org.owner(), org.id(), "hanako", "山田 花子", List.of(), "Ume-Haru-404-Aoi");
        ichiro = server.createUser(org.owner(), org.id(), "ichiro", "佐藤 一郎", List.of(), "Ume-Haru-404-Beni");
        jiro = server.createUser(org.owner(), org.id(), "jiro", "鈴木 次郎", List.of(), "Ume-Haru-404-Cha");
        Response room = server.post("/api/v1/rooms", Map.of("name", "防災係", "memberIds", List.of(ichiro.userId())),
                hanako.accessToken());
        assertThat(room.status()).isEqualTo(201);
        roomId = room.text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> send(String id, String text) {
        return Map.of("type", "message.send", "id", id, "roomId", roomId, "text", text);
    }

    @Test
    void sendIsAcknowledgedAndDeliveredToEveryMemberInOrder() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JsonNode ack = a.request(send(java.util.UUID.randomUUID().toString(), "お疲れさまです " + i));
                assertThat(ack.path("type").asText()).isEqualTo("message.ack");
                assertThat(ack.path("duplicate").asBoolean()).isFalse();
                acked.add(ack.path("seq").asLong());
            }
            assertThat(acked).isSorted().doesNotHaveDuplicates();
            for (int i = 1; i < acked.size(); i++) {
                assertThat(acked.get(i)).isEqualTo(acked.get(i - 1) + 1);
            }
            List<JsonNode> posted = b.collect(f -> f.path("type").asText().equals("message.posted")
                    && f.path("roomId").asText().equals(roomId) && acked.contains(f.path("message").path("seq").asLong()),
                    Duration.ofSeconds(2));
            assertThat(posted).extracting(f -> f.path("message").path("seq").asLong()).containsExactlyElementsOf(acked);
            assertThat(posted.get(0).path("message").path("senderName").asText()).isEqualTo("山田 花子");
        }
    }

    @Test
    void aRetriedSendStoresNothingNew() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            String key = java.util.UUID.randomUUID().toString();
            JsonNode first = a.request(send(key, "一度だけ"));
            JsonNode again = a.request(send(key, "一度だけ"));
            assertThat(again.path("type").asText()).isEqualTo("message.ack");
            assertThat(again.path("duplicate").asBoolean()).isTrue();
            assertThat(again.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
            assertThat(again.path("seq").asLong()).isEqualTo(first.path("seq").asLong());
            JsonNode conflict = a.request(send(key, "別の文"));
            assertThat(conflict.path("code").asText()).isEqualTo("idempotency_conflict");
            List<JsonNode> posted = b.collect(f -> f.path("type").asText().equals("message.posted")
                    && f.path("message").path("text").asText().equals("一度だけ"), Duration.ofSeconds(1));
            assertThat(posted).hasSize(1);
        }
    }

    @Test
    void aReconnectingMemberReceivesExactlyWhatItMissedInOrder() {
        long lastSeen;
        try (WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            JsonNode page = b.request(Map.of("type", "message.history", "id", "h", "roomId", roomId));
            lastSeen = page.path("lastSeq").asLong();
        }
        List<Long> sent = new ArrayList<>();
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            for (int i = 0; i < 7; i++) {
                sent.add(a.request(send(java.util.UUID.randomUUID().toString(), "不在中 " + i)).path("seq").asLong());
            }
        }
        try (WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            List<Long> got = new ArrayList<>();
            long after = lastSeen;
            boolean more = true;
            while (more) {
                JsonNode page = b.request(Map.of("type", "message.sync", "id", b.nextId(), "roomId", roomId,
                        "afterSeq", after, "limit", 3));
                assertThat(page.path("type").asText()).isEqualTo("message.page");
                for (JsonNode m : page.path("messages")) {
                    got.add(m.path("seq").asLong());
                    after = m.path("seq").asLong();
                }
                more = page.path("hasMore").asBoolean();
            }
            assertThat(got).containsExactlyElementsOf(sent);
            JsonNode future = b.request(Map.of("type", "message.sync", "id", "f", "roomId", roomId, "afterSeq", after + 100));
            assertThat(future.path("code").asText()).isEqualTo("invalid_seq");
        }
    }

    @Test
    void historyPagesBackwards() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            for (int i = 0; i < 4; i++) {
                a.request(send(java.util.UUID.randomUUID().toString(), "履歴 " + i));
            }
            JsonNode newest = a.request(Map.of("type", "message.history", "id", "h1", "roomId", roomId, "limit", 2));
            long last = newest.path("lastSeq").asLong();
            assertThat(newest.path("messages")).extracting(m -> m.path("seq").asLong()).containsExactly(last - 1, last);
            assertThat(newest.path("hasMore").asBoolean()).isTrue();
            JsonNode older = a.request(Map.of("type", "message.history", "id", "h2", "roomId", roomId,
                    "beforeSeq", last - 1, "limit", 2));
            assertThat(older.path("messages")).extracting(m -> m.path("seq").asLong()).containsExactly(last - 3, last - 2);
            Response http = server.get("/api/v1/rooms/" + roomId + "/messages?beforeSeq=" + (last - 1) + "&limit=2", hanako.accessToken());
            assertThat(http.body().path("messages")).extracting(m -> m.path("seq").asLong()).containsExactly(last - 3, last - 2);
        }
    }

    @Test
    void readReceiptsCountReadersAndSayWhen() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            long seq = a.request(send(java.util.UUID.randomUUID().toString(), "既読にしてください")).path("seq").asLong();
            JsonNode listBefore = roomInList(server.get("/api/v1/rooms", ichiro.accessToken()));
            assertThat(listBefore.path("unread").asLong()).isPositive();
            assertThat(b.request(Map.of("type", "receipt.read", "id", "r1", "roomId", roomId, "seq", seq)).path("type").asText())
                    .isEqualTo("ok");
            JsonNode receipt = a.await(f -> f.path("type").asText().equals("receipt.updated")
                    && f.path("userId").asText().equals(ichiro.userId()) && f.path("seq").asLong() == seq);
            assertThat(receipt.path("readAt").asText()).isNotEmpty();
            Response readers = server.get("/api/v1/rooms/" + roomId + "/messages/" + seq + "/readers", hanako.accessToken());
            assertThat(readers.status()).isEqualTo(200);
            assertThat(readers.body().path("readers")).extracting(r -> r.path("userId").asText()).containsExactly(ichiro.userId());
            assertThat(readers.body().path("readers").get(0).path("displayName").asText()).isEqualTo("佐藤 一郎");
            assertThat(roomInList(server.get("/api/v1/rooms", ichiro.accessToken())).path("unread").asLong()).isZero();
            Response detail = server.get("/api/v1/rooms/" + roomId, hanako.accessToken());
            assertThat(detail.body().path("members").findValues("readSeq")).extracting(JsonNode::asLong).contains(seq);
            JsonNode beyond = b.request(Map.of("type", "receipt.read", "id", "r2", "roomId", roomId, "seq", seq + 1000));
            assertThat(beyond.path("code").asText()).isEqualTo("invalid_seq");
        }
    }

    @Test
    void theSenderSeesItsOwnEventBeforeTheOkOfEachCommand() {
        // Clients may update their view from the event alone: on the sender's own connection the event has always
        // come before the command's ok (the event is queued on the connection's event loop before the reply).
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            JsonNode ack = a.request(send(java.util.UUID.randomUUID().toString(), "順序の確認です"));
            String messageId = ack.path("messageId").asText();
            // A message of someone else's, so that reading it moves hanako's read seq (her own already did).
            long seq = b.request(send(java.util.UUID.randomUUID().toString(), "了解です")).path("seq").asLong();
            List<Map<String, Object>> commands = List.of(
                    Map.of("type", "message.edit", "id", "o1", "roomId", roomId, "messageId", messageId, "text", "順序の確認でした"),
                    Map.of("type", "reaction.add", "id", "o2", "roomId", roomId, "messageId", messageId, "emoji", "👍"),
                    Map.of("type", "reaction.remove", "id", "o3", "roomId", roomId, "messageId", messageId, "emoji", "👍"),
                    Map.of("type", "receipt.read", "id", "o4", "roomId", roomId, "seq", seq),
                    Map.of("type", "message.delete", "id", "o5", "roomId", roomId, "messageId", messageId));
            List<String> events = List.of("message.edited", "reaction.changed", "reaction.changed", "receipt.updated",
                    "message.deleted");
            for (int i = 0; i < commands.size(); i++) {
                String event = events.get(i);
                assertThat(a.request(commands.get(i)).path("type").asText()).isEqualTo("ok");
                // Whatever arrived before the ok is already held back by request(): a zero window reads only that.
                assertThat(a.collect(f -> event.equals(f.path("type").asText()), Duration.ZERO))
                        .as("%s before the ok of %s", event, commands.get(i).get("type")).hasSize(1);
            }
        }
    }

    @Test
    void editsDeletionsReactionsRepliesAndMentionsReachMembers() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            JsonNode ack = a.request(send(java.util.UUID.randomUUID().toString(), "会議は14時です"));
            String messageId = ack.path("messageId").asText();
            assertThat(a.request(Map.of("type", "message.edit", "id", "e1", "roomId", roomId, "messageId", messageId,
                    "text", "会議は15時です")).path("type").asText()).isEqualTo("ok");
            assertThat(b.await(f -> f.path("type").asText().equals("message.edited")).path("text").asText()).isEqualTo("会議は15時です");
            JsonNode notMine = b.request(Map.of("type", "message.edit", "id", "e2", "roomId", roomId, "messageId", messageId, "text", "x"));
            assertThat(notMine.path("code").asText()).isEqualTo("forbidden");

            assertThat(b.request(Map.of("type", "reaction.add", "id", "x1", "roomId", roomId, "messageId", messageId,
                    "emoji", "👍")).path("type").asText()).isEqualTo("ok");
            JsonNode reaction = a.await(f -> f.path("type").asText().equals("reaction.changed"));
            assertThat(reaction.path("emoji").asText()).isEqualTo("👍");
            assertThat(reaction.path("added").asBoolean()).isTrue();

            JsonNode reply = b.request(Map.of("type", "message.send", "id", java.util.UUID.randomUUID().toString(), "roomId", roomId,
                    "text", "承知しました @山田 花子", "replyTo", messageId, "mentions", List.of(hanako.userId())));
            assertThat(reply.path("type").asText()).isEqualTo("message.ack");
            JsonNode posted = a.await(f -> f.path("type").asText().equals("message.posted")
                    && f.path("message").path("seq").asLong() == reply.path("seq").asLong());
            assertThat(posted.path("message").path("replyTo").path("excerpt").asText()).isEqualTo("会議は15時です");
            assertThat(posted.path("message").path("mentions")).extracting(JsonNode::asText).containsExactly(hanako.userId());
            assertThat(roomInList(server.get("/api/v1/rooms", hanako.accessToken())).path("unreadMentions").asLong()).isPositive();

            JsonNode outsider = b.request(Map.of("type", "message.send", "id", java.util.UUID.randomUUID().toString(), "roomId", roomId,
                    "text", "@鈴木", "mentions", List.of(jiro.userId())));
            assertThat(outsider.path("code").asText()).isEqualTo("invalid_message");

            assertThat(a.request(Map.of("type", "message.delete", "id", "d1", "roomId", roomId, "messageId", messageId))
                    .path("type").asText()).isEqualTo("ok");
            b.await(f -> f.path("type").asText().equals("message.deleted") && f.path("messageId").asText().equals(messageId));
            JsonNode page = b.request(Map.of("type", "message.sync", "id", "s", "roomId", roomId,
                    "afterSeq", ack.path("seq").asLong() - 1, "limit", 1));
            JsonNode deleted = page.path("messages").get(0);
            assertThat(deleted.path("deleted").asBoolean()).isTrue();
            assertThat(deleted.path("text").isNull()).isTrue();
        }
    }

    @Test
    void membersJoinLiveAndTypingAndPresenceAreShared() {
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken());
             WsClient c = WsClient.signedIn(server.gatewayUrl(), jiro.accessToken())) {
            Response added = server.post("/api/v1/rooms/" + roomId + "/members", Map.of("userIds", List.of(jiro.userId())),
                    hanako.accessToken());
            assertThat(added.status()).isEqualTo(200);
            c.await(f -> f.path("type").asText().equals("member.joined") && f.path("userId").asText().equals(jiro.userId()));
            JsonNode state = a.request(Map.of("type", "presence.subscribe", "id", "ps", "userIds", List.of(jiro.userId(), ichiro.userId())));
            Map<String, String> statuses = new java.util.HashMap<>();
            state.path("statuses").forEach(st -> statuses.put(st.path("userId").asText(), st.path("status").asText()));
            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(jiro.userId(), "online", ichiro.userId(), "offline"));
            c.send(Map.of("type", "typing.start", "id", "ty", "roomId", roomId));
            a.await(f -> f.path("type").asText().equals("typing.started") && f.path("userId").asText().equals(jiro.userId()));
            assertThat(c.request(Map.of("type", "presence.set", "id", "p", "status", "away")).path("type").asText()).isEqualTo("ok");
            a.await(f -> f.path("type").asText().equals("presence.changed") && f.path("userId").asText().equals(jiro.userId())
                    && f.path("status").asText().equals("away"));
            Response presence = server.get("/api/v1/presence", hanako.accessToken());
            assertThat(presence.body().findValues("userId")).extracting(JsonNode::asText).contains(jiro.userId(), hanako.userId());
            Response left = server.call("DELETE", "/api/v1/rooms/" + roomId + "/members/" + jiro.userId(), null, jiro.accessToken(), Map.of());
            assertThat(left.status()).isEqualTo(204);
            a.await(f -> f.path("type").asText().equals("member.left") && f.path("userId").asText().equals(jiro.userId()));
            JsonNode refused = c.request(send(java.util.UUID.randomUUID().toString(), "もう抜けました"));
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
        }
    }

    private static JsonNode roomInList(Response list) {
        for (JsonNode r : list.body()) {
            if (r.path("id").asText().equals(roomId)) {
                return r;
            }
        }
        throw new AssertionError("room not listed: " + list.body());
    }
}
