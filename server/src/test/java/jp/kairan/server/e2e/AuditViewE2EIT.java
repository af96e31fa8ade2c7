package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.kairan.protocol.Json;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #6 in a real headless Chromium, in Japanese: an org owner opens 監査ログ, sees the log newest first with
 * Japanese labels and JST times, filters it by action and by actor, pages back with さらに表示, and downloads the
 * search as CSV (UTF-8 with a BOM) through the DPoP-signed client; the download is on record as
 * {@code audit.exported}. A member has no such menu item.
 */
class AuditViewE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestServer server;
    private static SignedIn hanako;
    private static SignedIn jiro;
    private static SignedIn ichiro;
    private static String orgId;

    @BeforeAll
    static void start() {
        server = TestServer.startWithWebClient();
        TestServer.Org org = server.createOrg(server.operator(), "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        hanako = org.owner();
        orgId = org.id();
        jiro = server.createUser(hanako, orgId, "tanaka", "田中 次郎", List.of("admin"), "Tsubaki-Kaze-2026");
        ichiro = server.createUser(hanako, orgId, "sato", "佐藤 一郎", List.of(), "Asagao-Niwa-2026");
        assertThat(server.post("/api/v1/orgs/" + orgId + "/departments", Map.of("name", "防災課"), jiro.accessToken()).status())
                .isEqualTo(201);
        // Enough older events for more than one page (100 a page).
        long orgKey = Long.parseLong(orgId);
        AuditService audit = new AuditService(server.clock(), Json.mapper());
        server.server().database().call(tx -> {
            for (int i = 0; i < 120; i++) {
                audit.record(tx, new AuditEvent(orgKey, null, "unknown" + i, AuditAction.LOGIN_FAILED, null, null,
                        Map.of("reason", "password")), new Origin("192.0.2." + (i + 1), null));
            }
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOwnerFiltersPagesAndDownloadsTheAuditLog() throws Exception {
        Path downloads = Files.createTempDirectory("kairan-downloads-");
        try (Browser a = new Browser("ja"); Browser m = new Browser("ja")) {
            a.driver().executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                    "downloadPath", downloads.toAbsolutePath().toString(), "eventsEnabled", true));
            signIn(a, "yamada", hanako);
            a.click("nav-audit");
            assertThat(a.byTestId("nav-audit").getText()).isEqualTo("監査ログ");

            // Newest first: the department admin's work is on the first page, with its Japanese label and JST time.
            a.byTestId("audit-list");
            assertThat(a.byTestId("audit-count").getText()).isEqualTo("100件を表示中");
            List<WebElement> rows = a.allByTestId("audit-row");
            assertThat(rows).hasSize(100);
            List<Long> seqs = rows.stream().map(r -> Long.parseLong(r.getAttribute("data-seq"))).toList();
            assertThat(seqs).isSortedAccordingTo((x, y) -> Long.compare(y, x));
            assertThat(rows.get(0).findElement(Browser.testId("audit-time")).getText()).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}");
            a.screenshot("audit-log");

            // さらに表示 brings the rest, down to the organization's creation.
            a.click("audit-more");
            a.byTestId("audit-end");
            rows = a.allByTestId("audit-row");
            assertThat(rows.size()).isGreaterThan(120);
            WebElement first = rows.get(rows.size() - 1);
            assertThat(first.getAttribute("data-action")).isEqualTo("org.created");
            assertThat(first.findElement(Browser.testId("audit-action-label")).getText()).isEqualTo("組織の作成");

            // By action, with the actions below it.
            a.type("audit-filter-action", "org.department");
            a.click("audit-search");
            waitForRows(a, 1);
            WebElement dept = a.allByTestId("audit-row").get(0);
            assertThat(dept.getAttribute("data-action")).isEqualTo("org.department.created");
            assertThat(dept.findElement(Browser.testId("audit-action-label")).getText()).isEqualTo("部署の作成");
            assertThat(dept.findElement(Browser.testId("audit-actor")).getText()).contains("田中 次郎", "tanaka");
            assertThat(dept.findElement(Browser.testId("audit-target")).getText()).startsWith("department ");
            assertThat(dept.findElement(Browser.testId("audit-detail")).getText()).contains("防災課");

            // By actor: a login ID's beginning.
            a.type("audit-filter-action", "org.user.created");
            a.type("audit-filter-actor", "yama");
            a.click("audit-search");
            waitForRows(a, 2);
            assertThat(a.allByTestId("audit-row")).allSatisfy(r -> {
                assertThat(r.getAttribute("data-action")).isEqualTo("org.user.created");
                assertThat(r.findElement(Browser.testId("audit-actor")).getText()).contains("yamada");
            });

            // A range that ends before it starts is refused in place.
            setDateTime(a, "audit-filter-from", "2030-01-02T10:00");
            setDateTime(a, "audit-filter-to", "2030-01-01T10:00");
            a.click("audit-search");
            a.waitForText("error-message", "終了日時は開始日時より後");
            setDateTime(a, "audit-filter-from", "");
            setDateTime(a, "audit-filter-to", "");
            a.click("audit-search");
            waitForRows(a, 2);

            // CSV of the search shown.
            a.click("audit-csv");
            a.waitForText("success-message", "CSVを出力しました（2件）");
            Path file = waitForDownload(a, downloads);
            assertThat(file.getFileName().toString()).matches("kairan-audit-" + orgId + "-\\d{8}-\\d{6}Z\\.csv");
            byte[] bytes = Files.readAllBytes(file);
            assertThat(new byte[] {bytes[0], bytes[1], bytes[2]}).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            String csv = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
            String[] lines = csv.split("\r\n");
            assertThat(lines).hasSize(3);
            assertThat(lines[0]).startsWith("chainSeq,occurredAt,occurredAtJst,actorId,actorLogin,actorName,action,");
            assertThat(lines[1]).contains(",yamada,山田 花子,org.user.created,");
            a.screenshot("audit-log-filtered");

            JsonNode exported = server.get("/api/v1/orgs/" + orgId + "/audit?action=audit.exported", jiro.accessToken())
                    .body().get("events").get(0);
            assertThat(exported.get("actorId").asText()).isEqualTo(hanako.userId());
            assertThat(exported.get("detail").get("rows").asInt()).isEqualTo(2);
            assertThat(exported.get("detail").get("actor").asText()).isEqualTo("yama");
            assertThat(exported.get("detail").get("action").asText()).isEqualTo("org.user.created");

            // A member has no audit log.
            signIn(m, "sato", ichiro);
            m.byTestId("nav-account");
            assertThat(m.allByTestId("nav-audit")).isEmpty();
            m.open(server.baseUrl() + "/#/audit");
            m.byTestId("user-name");
            assertThat(m.allByTestId("audit-list")).isEmpty();
            assertThat(m.allByTestId("audit-filters")).isEmpty();
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
        var pending = server.get("/api/v1/orgs/" + orgId + "/devices?status=pending&userId=" + user.userId(),
                hanako.accessToken()).body();
        server.approve(user.userId(), pending.get(0).path("id").asText());
        b.byTestId("user-name");
    }

    /** Sets a datetime-local input through its value setter (typing into it depends on the browser's locale). */
    private static void setDateTime(Browser b, String testId, String value) {
        WebElement input = b.byTestId(testId);
        b.driver().executeScript("const i = arguments[0]; i.value = arguments[1];"
                + "i.dispatchEvent(new Event('input', { bubbles: true }));", input, value);
    }

    private static void waitForRows(Browser b, int n) {
        new WebDriverWait(b.driver(), WAIT).until(d -> b.allByTestId("audit-row").size() == n
                && b.allByTestId("audit-end").size() == 1);
    }

    private static Path waitForDownload(Browser b, Path dir) {
        return new WebDriverWait(b.driver(), WAIT).until(d -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
