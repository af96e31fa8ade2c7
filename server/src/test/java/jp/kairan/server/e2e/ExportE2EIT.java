package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import jp.kairan.server.export.ExportVerifier;
import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #6 in a real headless Chromium, in Japanese: the org owner has made an auditor; two members talk in a room;
 * the auditor signs in, opens 監査エクスポート, asks for that room over the default days (JST), watches the export
 * become 完了 and downloads it through the DPoP-signed client. The file Chromium saved is the archive the list
 * describes (its SHA-256), a zip with manifest.json and the room's messages.jsonl holding the messages, and its
 * signature verifies. The owner, who is no auditor, has no such menu item but places a legal hold on the room on
 * 保存期間とリーガルホールド.
 */
class ExportE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXTS = List.of("14時から防災会議です", "資料は共有フォルダにあります", "承知しました、3階会議室ですね");

    private static TestServer server;
    private static SignedIn hanako;
    private static SignedIn auditor;
    private static SignedIn ichiro;
    private static SignedIn jiro;
    private static String orgId;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.startWithWebClient();
        TestServer.Org org = server.createOrg(server.operator(), "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        hanako = org.owner();
        orgId = org.id();
        auditor = server.createUser(hanako, orgId, "kansa", "監査 太郎", List.of("auditor"), "Fuyu-Yuki-2026-Mado");
        ichiro = server.createUser(hanako, orgId, "sato", "佐藤 一郎", List.of(), "Asagao-Niwa-2026");
        jiro = server.createUser(hanako, orgId, "tanaka", "田中 次郎", List.of(), "Tsubaki-Kaze-2026");
        roomId = server.post("/api/v1/rooms", Map.of("name", "防災係", "memberIds", List.of(jiro.userId())), ichiro.accessToken())
                .text("id");
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken());
             WsClient b = WsClient.signedIn(server.gatewayUrl(), jiro.accessToken())) {
            send(a, TEXTS.get(0));
            send(a, TEXTS.get(1));
            send(b, TEXTS.get(2));
        }
    }

    private static void send(WsClient ws, String text) {
        JsonNode ack = ws.request(Map.of("type", "message.send", "id", UUID.randomUUID().toString(), "roomId", roomId, "text", text));
        assertThat(ack.path("type").asText()).isEqualTo("message.ack");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAuditorExportsARoomAndDownloadsTheArchive() throws Exception {
        Path downloads = Files.createTempDirectory("kairan-downloads-");
        try (Browser a = new Browser("ja"); Browser o = new Browser("ja")) {
            a.driver().executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                    "downloadPath", downloads.toAbsolutePath().toString(), "eventsEnabled", true));
            signIn(a, "kansa", auditor);
            assertThat(a.byTestId("nav-exports").getText()).isEqualTo("監査エクスポート");
            // An auditor is neither owner nor admin.
            assertThat(a.allByTestId("nav-audit")).isEmpty();
            assertThat(a.allByTestId("nav-retention")).isEmpty();
            a.click("nav-exports");
            a.byTestId("export-empty");

            // A room by its ID (auditors cannot list the organization's rooms); the default days end today (JST).
            assertThat(a.byTestId("export-scope-room").isSelected()).isTrue();
            a.type("export-target-room", "防災係");
            a.click("export-submit");
            a.waitForText("error-message", "部屋ID（数字）を入力してください");
            a.type("export-target-room", roomId);
            a.click("export-submit");
            a.waitForText("success-message", "エクスポートを依頼しました");

            WebElement row = new WebDriverWait(a.driver(), WAIT).until(d -> a.allByTestId("export-row").stream()
                    .filter(r -> "done".equals(r.getAttribute("data-state"))).findFirst().orElse(null));
            String exportId = row.getAttribute("data-id");
            assertThat(row.findElement(Browser.testId("export-state")).getText()).isEqualTo("完了");
            assertThat(row.findElement(Browser.testId("export-count")).getText()).isEqualTo("3件");
            assertThat(row.findElement(Browser.testId("export-target")).getText()).isEqualTo("部屋 #" + roomId);
            assertThat(row.findElement(Browser.testId("export-size")).getText()).matches("[\\d.]+ (B|KB|MB)");
            assertThat(row.findElement(Browser.testId("export-expires")).getText()).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}");
            WebElement hash = row.findElement(Browser.testId("export-sha256"));
            String sha256 = hash.getAttribute("data-sha256");
            assertThat(sha256).matches("[0-9a-f]{64}");
            assertThat(hash.getText()).isEqualTo(sha256.substring(0, 12) + "…");
            // Nothing is queued or running any more: no polling notice.
            new WebDriverWait(a.driver(), WAIT).until(d -> a.allByTestId("export-polling").isEmpty());
            a.screenshot("exports-done");

            a.click("export-download");
            String fileName = "kairan-export-" + exportId + ".zip";
            a.waitForText("success-message", "ダウンロードしました：" + fileName);
            Path zip = waitForDownload(a, downloads);
            assertThat(zip.getFileName().toString()).isEqualTo(fileName);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip))))
                    .as("the file saved is the archive the list describes").isEqualTo(sha256);

            try (ZipFile z = new ZipFile(zip.toFile())) {
                assertThat(z.getEntry("manifest.json")).isNotNull();
                assertThat(z.getEntry("manifest.jws")).isNotNull();
                JsonNode manifest = JSON.readTree(read(z, "manifest.json"));
                assertThat(manifest.path("scope").asText()).isEqualTo("room");
                assertThat(manifest.path("targetId").asText()).isEqualTo(roomId);
                assertThat(manifest.path("messageCount").asLong()).isEqualTo(3);
                List<JsonNode> lines = new String(read(z, "rooms/" + roomId + "/messages.jsonl"), StandardCharsets.UTF_8).lines()
                        .map(ExportE2EIT::parse).toList();
                assertThat(lines).hasSize(3);
                assertThat(lines.stream().map(l -> l.path("text").asText()).toList()).containsExactlyElementsOf(TEXTS);
            }
            ExportVerifier.Result verified = ExportVerifier.verify(zip, null);
            assertThat(verified.problems()).isEmpty();
            assertThat(verified.messages()).isEqualTo(3);

            // On record: requested and downloaded, by the auditor.
            JsonNode events = server.get("/api/v1/orgs/" + orgId + "/audit?action=export.", hanako.accessToken()).body().get("events");
            List<String> actions = java.util.stream.StreamSupport.stream(events.spliterator(), false)
                    .map(e -> e.path("action").asText()).toList();
            assertThat(actions).contains("export.requested", "export.completed", "export.downloaded");
            JsonNode downloaded = java.util.stream.StreamSupport.stream(events.spliterator(), false)
                    .filter(e -> "export.downloaded".equals(e.path("action").asText())).findFirst().orElseThrow();
            assertThat(downloaded.path("actorId").asText()).isEqualTo(auditor.userId());
            assertThat(downloaded.path("detail").path("sha256").asText()).isEqualTo(sha256);

            // The owner is no auditor: no exports, but retention and legal holds.
            signIn(o, "yamada", hanako);
            o.byTestId("nav-retention");
            assertThat(o.allByTestId("nav-exports")).isEmpty();
            o.click("nav-retention");
            assertThat(o.byTestId("retention-org-days").getText()).isEqualTo("無期限");
            o.byTestId("hold-empty");
            o.click("hold-scope-room");
            o.type("hold-target-room", roomId);
            o.type("hold-reason-input", "情報公開請求への対応");
            o.click("hold-submit");
            o.waitForText("success-message", "リーガルホールドを設定しました");
            WebElement hold = o.byTestId("hold-row");
            assertThat(hold.getAttribute("data-state")).isEqualTo("active");
            assertThat(hold.findElement(Browser.testId("hold-target")).getText()).isEqualTo("部屋：防災係");
            assertThat(hold.findElement(Browser.testId("hold-reason")).getText()).isEqualTo("情報公開請求への対応");
            o.screenshot("retention-hold");
            JsonNode holds = server.get("/api/v1/orgs/" + orgId + "/holds", hanako.accessToken()).body();
            assertThat(holds).hasSize(1);
            assertThat(holds.get(0).path("targetId").asText()).isEqualTo(roomId);
        } finally {
            try (Stream<Path> files = Files.walk(downloads)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void signIn(Browser b, String loginId, SignedIn user) {
        b.open(server.baseUrl() + "/");
        b.signIn(loginId, user.password(), server.nextTotpCode(user.totpSecret()));
        b.registerDevice("試験ブラウザ " + loginId);
        b.byTestId("device-pending");
        hanako = server.refresh(hanako);
        var pending = server.get("/api/v1/orgs/" + orgId + "/devices?status=pending&userId=" + user.userId(),
                hanako.accessToken()).body();
        server.approve(user.userId(), pending.get(0).path("id").asText());
        b.byTestId("user-name");
    }

    private static Path waitForDownload(Browser b, Path dir) {
        return new WebDriverWait(b.driver(), WAIT).until(d -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".zip")).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static byte[] read(ZipFile z, String name) throws IOException {
        ZipEntry e = z.getEntry(name);
        assertThat(e).as(name).isNotNull();
        try (var in = z.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
