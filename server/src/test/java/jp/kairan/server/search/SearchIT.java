package jp.kairan.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.kairan.server.store.Database;
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
 * Message search through the HTTP API on real MariaDB (issue #8): the Japanese query table, filters, sort and
 * paging, the index following edits, deletions, purges and membership, owner reads audited, bad parameters, the
 * indexer catching up with the outbox, and reindex.
 */
class SearchIT {
    private static TestServer server;
    private static Database db;
    private static String orgId;
    private static SignedIn owner;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    private static SignedIn jiro;
    private static SignedIn outsider;
    private static String bousai;
    private static String secret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.server().database();
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "検索市", "owner.s", "検索 所有者", "Sakura-Hana-909");
        orgId = org.id();
        owner = org.owner();
        hanako = server.createUser(owner, orgId, "hanako.s", "山本 花子", List.of(), "Ume-Haru-909-Aoi");
        ichiro = server.createUser(owner, orgId, "ichiro.s", "中村 一郎", List.of(), "Ume-Haru-909-Beni");
        jiro = server.createUser(owner, orgId, "jiro.s", "佐藤 次郎", List.of(), "Ume-Haru-909-Kiku");
        outsider = server.createOrg(operator, "別町", "owner.x", "別 所有者", "Fuji-Yama-909").owner();
        fresh();
        bousai = room("防災課", hanako, ichiro);
        secret = room("人事の相談", hanako, jiro);
        send(hanako, bousai, "バッタと鈴虫", "先週の防災訓練の集合場所は第二駐車場です", "ｶﾀｶﾅで書いた連絡", "ＡＢＣ会議の資料",
                "会場は１２３号室です", "新しいコンピューターを設置", "明日の練習は中止", "Kairan Release Notes");
        send(jiro, secret, "来月の異動内示は極秘です");
        awaitHits(hanako, "q=" + enc("極秘"), 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshTokens() {
        fresh();
    }

    private static void fresh() {
        owner = server.refresh(owner);
        hanako = server.refresh(hanako);
        ichiro = server.refresh(ichiro);
        jiro = server.refresh(jiro);
        outsider = server.refresh(outsider);
    }

    private static String room(String name, SignedIn creator, SignedIn member) {
        Response r = server.post("/api/v1/rooms", Map.of("name", name, "memberIds", List.of(member.userId())), creator.accessToken());
        assertThat(r.status()).isEqualTo(201);
        return r.text("id");
    }

    private static List<String> send(SignedIn who, String roomId, String... texts) {
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), who.accessToken())) {
            List<String> ids = new ArrayList<>();
            for (String t : texts) {
                JsonNode ack = ws.request(Map.of("type", "message.send", "id", UUID.randomUUID().toString(), "roomId", roomId, "text", t));
                assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("message.ack");
                ids.add(ack.path("messageId").asText());
            }
            return ids;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Response search(SignedIn who, String query) {
        return server.get("/api/v1/search?" + query, who.accessToken());
    }

    private static List<String> texts(SignedIn who, String query) {
        Response r = search(who, query);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().path("hits").forEach(h -> out.add(h.path("text").asText()));
        return out;
    }

    /** Waits for the indexer (it runs after each commit) until the search has {@code n} hits. */
    private static List<String> awaitHits(SignedIn who, String query, int n) {
        return Eventually.within(Duration.ofSeconds(15)).every(Duration.ofMillis(100))
                .get(n + " hits for " + query, () -> texts(who, query), found -> found.size() == n);
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

    @Test
    void theJapaneseQueryTableThroughTheApi() {
        Map<String, String> finds = new LinkedHashMap<>();
        finds.put("鈴虫", "バッタと鈴虫");
        finds.put("バッタ", "バッタと鈴虫");
        finds.put("防災", "先週の防災訓練の集合場所は第二駐車場です");
        finds.put("訓練", "先週の防災訓練の集合場所は第二駐車場です");
        finds.put("防災訓練", "先週の防災訓練の集合場所は第二駐車場です");
        finds.put("集合場所\u3000駐車場", "先週の防災訓練の集合場所は第二駐車場です");
        finds.put("カタカナ", "ｶﾀｶﾅで書いた連絡");
        finds.put("abc", "ＡＢＣ会議の資料");
        finds.put("123号室", "会場は１２３号室です");
        finds.put("release NOTES", "Kairan Release Notes");
        finds.put("コンピュータ", "新しいコンピューターを設置");
        finds.put("すずむし", "バッタと鈴虫");
        finds.forEach((q, text) -> assertThat(texts(hanako, "q=" + enc(q))).as(q).contains(text));
        assertThat(texts(hanako, "q=" + enc("訓練"))).doesNotContain("明日の練習は中止");
        assertThat(texts(hanako, "q=" + enc("練習"))).containsExactly("明日の練習は中止");
        assertThat(texts(hanako, "q=" + enc("鈴虫 駐車場"))).isEmpty();
        assertThat(texts(hanako, "q=" + enc("コオロギ"))).isEmpty();

        JsonNode hit = search(hanako, "q=" + enc("訓練 駐車場")).body().path("hits").get(0);
        assertThat(hit.path("roomId").asText()).isEqualTo(bousai);
        assertThat(hit.path("roomName").asText()).isEqualTo("防災課");
        assertThat(hit.path("senderId").asText()).isEqualTo(hanako.userId());
        assertThat(hit.path("senderName").asText()).isEqualTo("山本 花子");
        assertThat(hit.path("seq").asLong()).isEqualTo(2);
        assertThat(hit.has("editedAt")).isTrue();
        assertThat(hit.path("editedAt").isNull()).isTrue();
        String text = hit.path("text").asText();
        List<String> marked = new ArrayList<>();
        hit.path("highlights").forEach(s -> marked.add(text.substring(s.path("start").asInt(), s.path("end").asInt())));
        assertThat(marked).containsExactly("訓練", "駐車場");
    }

    @Test
    void filtersBySenderTimeMentionAndRoom() {
        Instant before = server.clock().instant();
        server.clock().advance(Duration.ofSeconds(10));
        Instant between = server.clock().instant();
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            ws.request(Map.of("type", "message.send", "id", UUID.randomUUID().toString(), "roomId", bousai,
                    "text", "避難所の鍵は中村が持っています"));
        }
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            ws.request(Map.of("type", "message.send", "id", UUID.randomUUID().toString(), "roomId", bousai,
                    "text", "避難所の点検をお願いします", "mentions", List.of(ichiro.userId())));
        }
        awaitHits(hanako, "q=" + enc("避難所"), 2);
        assertThat(texts(hanako, "q=" + enc("避難所") + "&senderId=" + ichiro.userId())).containsExactly("避難所の鍵は中村が持っています");
        assertThat(texts(ichiro, "q=" + enc("避難所") + "&mentions=me")).containsExactly("避難所の点検をお願いします");
        assertThat(texts(hanako, "q=" + enc("避難所") + "&mentions=me")).isEmpty();
        assertThat(texts(hanako, "q=" + enc("防災") + "&from=" + enc(between.toString()))).isEmpty();
        assertThat(texts(hanako, "q=" + enc("避難所") + "&from=" + enc(between.toString()))).hasSize(2);
        assertThat(texts(hanako, "q=" + enc("防災") + "&to=" + enc(between.toString()))).hasSize(1);
        assertThat(texts(hanako, "q=" + enc("避難所") + "&to=" + enc(before.toString()))).isEmpty();
        assertThat(texts(hanako, "q=" + enc("避難所") + "&roomId=" + secret)).isEmpty();
        assertThat(texts(hanako, "q=" + enc("避難所") + "&roomId=" + bousai)).hasSize(2);
    }

    @Test
    void sortsNewestFirstAndPagesWithTheCursor() {
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            server.clock().advance(Duration.ofSeconds(1));
            sent.add("水道の点検記録 第" + i + "回");
            send(hanako, bousai, sent.get(sent.size() - 1));
        }
        awaitHits(hanako, "q=" + enc("点検記録"), 5);
        List<String> newest = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = search(hanako, "q=" + enc("点検記録") + "&sort=newest&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).isEqualTo(200);
            r.body().path("hits").forEach(h -> newest.add(h.path("text").asText()));
            cursor = r.body().path("nextCursor").isNull() ? null : r.body().path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(newest).containsExactly(sent.get(4), sent.get(3), sent.get(2), sent.get(1), sent.get(0));

        List<String> best = new ArrayList<>();
        cursor = null;
        pages = 0;
        do {
            Response r = search(hanako, "q=" + enc("点検記録") + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            r.body().path("hits").forEach(h -> best.add(h.path("text").asText()));
            cursor = r.body().path("nextCursor").isNull() ? null : r.body().path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(best).containsExactlyInAnyOrderElementsOf(sent);
        Response newestPage = search(hanako, "q=" + enc("点検記録") + "&sort=newest&limit=2");
        assertThat(search(hanako, "q=" + enc("点検記録") + "&cursor=" + newestPage.body().path("nextCursor").asText()).code())
                .isEqualTo("invalid_field");
    }

    @Test
    void editsDeletionsAndPurgesShowAtOnce() {
        List<String> ids = send(hanako, bousai, "備蓄倉庫の毛布は百枚です", "備蓄倉庫の乾パンは廃棄予定");
        awaitHits(hanako, "q=" + enc("備蓄倉庫"), 2);
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            assertThat(ws.request(Map.of("type", "message.edit", "id", ws.nextId(), "roomId", bousai, "messageId", ids.get(0),
                    "text", "備蓄倉庫の寝袋は五十個です")).path("type").asText()).isEqualTo("ok");
            assertThat(ws.request(Map.of("type", "message.delete", "id", ws.nextId(), "roomId", bousai, "messageId", ids.get(1)))
                    .path("type").asText()).isEqualTo("ok");
        }
        // The text is the database's at once; the deleted message never shows, even before the index follows.
        assertThat(texts(hanako, "q=" + enc("備蓄倉庫"))).containsExactly("備蓄倉庫の寝袋は五十個です");
        awaitHits(hanako, "q=" + enc("寝袋"), 1);
        awaitHits(hanako, "q=" + enc("毛布"), 0);
        JsonNode edited = search(hanako, "q=" + enc("寝袋")).body().path("hits").get(0);
        assertThat(edited.path("editedAt").isNull()).isFalse();

        String old = room("旧防災計画", hanako, ichiro);
        send(hanako, old, "旧計画の避難経路図");
        awaitHits(hanako, "q=" + enc("避難経路図"), 1);
        assertThat(server.call("PUT", "/api/v1/rooms/" + old + "/retention", Map.of("days", 1), owner.accessToken(), Map.of()).status())
                .isEqualTo(200);
        server.clock().advance(Duration.ofDays(2));
        owner = server.signIn("owner.s", owner.password(), owner.totpSecret());
        hanako = server.signIn("hanako.s", hanako.password(), hanako.totpSecret());
        ichiro = server.signIn("ichiro.s", ichiro.password(), ichiro.totpSecret());
        jiro = server.signIn("jiro.s", jiro.password(), jiro.totpSecret());
        outsider = server.signIn("owner.x", outsider.password(), outsider.totpSecret());
        server.server().retention().purge();
        assertThat(texts(hanako, "q=" + enc("避難経路図"))).isEmpty();
        Eventually.within(Duration.ofSeconds(15)).every(Duration.ofMillis(100))
                .until("the indexer to apply the purge's outbox rows", () -> count("SELECT COUNT(*) FROM search_outbox") == 0);
        assertThat(texts(hanako, "q=" + enc("避難経路図"))).isEmpty();
    }

    @Test
    void noHitsFromRoomsTheUserCannotReadAndLeavingTakesThemAway() {
        assertThat(texts(ichiro, "q=" + enc("極秘"))).isEmpty();
        assertThat(search(ichiro, "q=" + enc("極秘") + "&roomId=" + secret).code()).isEqualTo("forbidden");
        assertThat(search(ichiro, "q=" + enc("極秘") + "&roomId=abc").code()).isEqualTo("forbidden");
        assertThat(texts(outsider, "q=" + enc("極秘"))).isEmpty();
        assertThat(search(outsider, "q=" + enc("極秘") + "&roomId=" + secret).code()).isEqualTo("forbidden");

        String talk = room("異動の件", jiro, ichiro);
        send(jiro, talk, "異動の希望調査票を回収します");
        awaitHits(ichiro, "q=" + enc("希望調査票"), 1);
        Response left = server.call("DELETE", "/api/v1/rooms/" + talk + "/members/" + ichiro.userId(), null, ichiro.accessToken(), Map.of());
        assertThat(left.status()).isBetween(200, 204);
        assertThat(texts(ichiro, "q=" + enc("希望調査票"))).isEmpty();
        assertThat(texts(jiro, "q=" + enc("希望調査票"))).hasSize(1);
    }

    @Test
    void anOwnerFindsEveryRoomOfTheOrgAndEachRoomReadIsAudited() {
        String sql = "SELECT COUNT(*) FROM audit_events WHERE action = 'room.read.by-owner' AND target_id = ? AND detail LIKE ?";
        long before = count(sql, secret, "%search%");
        List<String> found = texts(owner, "q=" + enc("極秘"));
        assertThat(found).containsExactly("来月の異動内示は極秘です");
        assertThat(count(sql, secret, "%search%")).isEqualTo(before + 1);
        // A search that finds nothing there reads nothing there.
        texts(owner, "q=" + enc("鈴虫"));
        assertThat(count(sql, secret, "%search%")).isEqualTo(before + 1);
        // Members are not audited.
        long all = count("SELECT COUNT(*) FROM audit_events WHERE action = 'room.read.by-owner'");
        texts(jiro, "q=" + enc("極秘"));
        assertThat(count("SELECT COUNT(*) FROM audit_events WHERE action = 'room.read.by-owner'")).isEqualTo(all);
    }

    @Test
    void badParametersGetStableCodes() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("", "q");
        bad.put("q=%20%20", "q");
        bad.put("q=" + "あ".repeat(201), "q");
        bad.put("q=a&limit=0", "limit");
        bad.put("q=a&limit=51", "limit");
        bad.put("q=a&limit=x", "limit");
        bad.put("q=a&sort=oldest", "sort");
        bad.put("q=a&mentions=you", "mentions");
        bad.put("q=a&from=yesterday", "from");
        bad.put("q=a&to=2026-13-01", "to");
        bad.put("q=a&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to");
        bad.put("q=a&cursor=!!!", "cursor");
        bad.put("q=a&cursor=bm90LWEtY3Vyc29y", "cursor");
        bad.put("q=a&senderId=x", "senderId");
        bad.forEach((query, field) -> {
            Response r = search(hanako, query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.code()).as(query).isEqualTo("invalid_field");
            assertThat(r.text("field")).as(query).isEqualTo(field);
        });
        assertThat(server.get("/api/v1/search?q=a", null).status()).isEqualTo(401);
        assertThat(texts(hanako, "q=" + enc("。、"))).isEmpty();
    }

    @Test
    void theIndexerCatchesUpWithTheOutboxAndReindexRebuilds() {
        SearchService search = server.server().search();
        search.pauseIndexing();
        try {
            send(hanako, bousai, "停電時の連絡網を更新しました");
            Eventually.within(Duration.ofMillis(700)).every(Duration.ofMillis(100))
                    .never("the paused indexer to index the message", () -> !texts(hanako, "q=" + enc("連絡網")).isEmpty());
            assertThat(count("SELECT COUNT(*) FROM search_outbox")).isPositive();
            assertThat(texts(hanako, "q=" + enc("連絡網"))).isEmpty();
        } finally {
            search.resumeIndexing();
        }
        awaitHits(hanako, "q=" + enc("連絡網"), 1);

        // A message written straight into the database (as a restore or the benchmark does) is found after reindex.
        long id = System.nanoTime();
        db.call(tx -> tx.update("INSERT INTO messages (id, room_id, seq, sender_id, client_key, body, sent_at, mention_all, version) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, 0)", id, Long.parseLong(bousai), 100_000L, Long.parseLong(hanako.userId()),
                "direct-" + id, "給水車の手配を確認", jp.kairan.server.store.UtcTimes.toColumn(server.clock().instant())));
        Eventually.within(Duration.ofMillis(700)).every(Duration.ofMillis(100))
                .never("a message written around the outbox to be indexed", () -> !texts(hanako, "q=" + enc("給水車")).isEmpty());
        assertThat(texts(hanako, "q=" + enc("給水車"))).isEmpty();
        assertThat(search.reindex()).isGreaterThanOrEqualTo(10);
        assertThat(texts(hanako, "q=" + enc("給水車"))).containsExactly("給水車の手配を確認");
        assertThat(texts(hanako, "q=" + enc("鈴虫"))).containsExactly("バッタと鈴虫");
    }

    @Test
    void theReindexCommandRefusesAnIndexInUseAndRebuildsAnother() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.createTempFile("kairan-reindex-", ".properties");
        java.nio.file.Files.writeString(config, "database.jdbc-url=" + server.database().jdbcUrl() + "\n"
                + "database.user=" + server.database().user() + "\n"
                + "database.password=" + server.database().password() + "\n");
        picocli.CommandLine cli = new picocli.CommandLine(new jp.kairan.server.cli.Main());
        // The running server holds its index: the command must not touch it.
        assertThat(cli.execute("reindex", "--config", config.toString(), "--data-dir", server.dataDir().toString())).isEqualTo(1);
        java.nio.file.Path elsewhere = java.nio.file.Files.createTempDirectory("kairan-reindex-");
        assertThat(new picocli.CommandLine(new jp.kairan.server.cli.Main()).execute("reindex", "--config", config.toString(),
                "--data-dir", elsewhere.toString())).isZero();
        try (var dir = org.apache.lucene.store.FSDirectory.open(elsewhere.resolve("search-index"));
             var reader = org.apache.lucene.index.DirectoryReader.open(dir)) {
            assertThat(reader.numDocs()).isGreaterThanOrEqualTo(10);
        }
        assertThat(texts(hanako, "q=" + enc("鈴虫"))).containsExactly("バッタと鈴虫");
    }
}
