package jp.kairan.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The quick start runs on embedded H2: the talk's SQL (row locks, batches, UTC times, paging) works there too.
 * Everything else about talk is tested on MariaDB.
 */
class EmbeddedH2TalkIT {

    @Test
    void talkWorksOnTheEmbeddedDatabase() throws Exception {
        Path dir = Files.createTempDirectory("kairan-h2-");
        String url = "jdbc:h2:file:" + dir.resolve("kairan") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE";
        try (TestServer server = TestServer.start(Map.of("database.jdbc-url", url, "database.user", "kairan",
                "database.password", ""))) {
            SignedIn operator = server.operator();
            TestServer.Org org = server.createOrg(operator, "戊町", "kei", "戊 恵", "Sakura-Hana-101");
            SignedIn kei = org.owner();
            SignedIn ren = server.createUser(kei, org.id(), "ren", "戊 蓮", List.of(), "Fuji-Yama-202");
            String roomId = server.post("/api/v1/rooms", Map.of("name", "総務", "memberIds", List.of(ren.userId())),
                    kei.accessToken()).text("id");
            try (WsClient a = WsClient.signedIn(server.gatewayUrl(), kei.accessToken());
                 WsClient b = WsClient.signedIn(server.gatewayUrl(), ren.accessToken())) {
                JsonNode first = a.request(Map.of("type", "message.send", "id", "k1", "roomId", roomId, "text", "一"));
                a.request(Map.of("type", "message.send", "id", "k2", "roomId", roomId, "text", "二", "replyTo",
                        first.path("messageId").asText(), "mentions", List.of(ren.userId())));
                assertThat(a.request(Map.of("type", "message.send", "id", "k2", "roomId", roomId, "text", "二",
                        "replyTo", first.path("messageId").asText())).path("duplicate").asBoolean()).isTrue();
                JsonNode page = b.request(Map.of("type", "message.sync", "id", "s", "roomId", roomId, "afterSeq", 0));
                assertThat(page.path("messages")).extracting(m -> m.path("text").asText()).containsExactly("一", "二");
                assertThat(page.path("messages").get(1).path("replyTo").path("excerpt").asText()).isEqualTo("一");
                assertThat(b.request(Map.of("type", "receipt.read", "id", "r", "roomId", roomId, "seq", 2)).path("type").asText())
                        .isEqualTo("ok");
                assertThat(b.request(Map.of("type", "reaction.add", "id", "x", "roomId", roomId,
                        "messageId", first.path("messageId").asText(), "emoji", "🙏")).path("type").asText()).isEqualTo("ok");
                assertThat(a.request(Map.of("type", "message.edit", "id", "e", "roomId", roomId,
                        "messageId", first.path("messageId").asText(), "text", "壱")).path("type").asText()).isEqualTo("ok");
                JsonNode history = a.request(Map.of("type", "message.history", "id", "h", "roomId", roomId));
                assertThat(history.path("messages").get(0).path("text").asText()).isEqualTo("壱");
                assertThat(history.path("messages").get(0).path("reactions").get(0).path("emoji").asText()).isEqualTo("🙏");
            }
            Response readers = server.get("/api/v1/rooms/" + roomId + "/messages/2/readers", kei.accessToken());
            assertThat(readers.body().path("readers").get(0).path("userId").asText()).isEqualTo(ren.userId());
            Response list = server.get("/api/v1/rooms", ren.accessToken());
            assertThat(list.body().get(0).path("unread").asLong()).isZero();
            assertThat(list.body().get(0).path("lastMessage").path("text").asText()).isEqualTo("二");
        }
    }
}
