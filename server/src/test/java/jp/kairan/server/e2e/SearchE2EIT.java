package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.Eventually;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #8 in a real headless Chromium, in Japanese: a staff member types 防災 into the header's search box and
 * presses Enter; the hits show room, sender and time with 防災 marked; the room filter and the order work; a query
 * without hits shows the empty state, and Esc closes the results. Clicking the hit opens its room at that message —
 * older than the page a room first shows, so the history around it is read — scrolled into view, highlighted and
 * focused.
 */
class SearchE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TARGET = "先週の防災訓練の集合場所は第二駐車場です";
    private static final String OTHER = "防災無線の点検は来週の火曜日です";
    /** Messages after the target: more than the 50 a room shows first. */
    private static final int LATER = 80;

    private static TestServer server;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    private static String orgId;
    private static String bousaiRoom;
    private static String soumuRoom;
    private static long targetSeq;

    @BeforeAll
    static void start() {
        server = TestServer.startWithWebClient();
        TestServer.Org org = server.createOrg(server.operator(), "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        hanako = org.owner();
        orgId = org.id();
        ichiro = server.createUser(hanako, orgId, "sato", "佐藤 一郎", List.of(), "Asagao-Niwa-2026");
        bousaiRoom = server.post("/api/v1/rooms", Map.of("name", "防災課", "memberIds", List.of(ichiro.userId())),
                hanako.accessToken()).text("id");
        soumuRoom = server.post("/api/v1/rooms", Map.of("name", "総務課", "memberIds", List.of(ichiro.userId())),
                hanako.accessToken()).text("id");
        try (WsClient ws = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            targetSeq = send(ws, bousaiRoom, TARGET);
            for (int i = 1; i <= LATER; i++) {
                send(ws, bousaiRoom, "了解しました（" + i + "）");
            }
            // The clock stands still unless moved: make this one clearly the newest.
            server.clock().advance(Duration.ofMinutes(1));
            send(ws, soumuRoom, OTHER);
        }
        // The index follows the commits asynchronously: wait until both messages are found.
        new FluentWait<>(server).withTimeout(WAIT).pollingEvery(Duration.ofMillis(200)).until(s -> hits("防災").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void searchShowsMarkedHits_andAHitOpensItsRoomAtTheMessage() {
        try (Browser a = new Browser("ja")) {
            signIn(a, "yamada", hanako);
            a.click("nav-chat");
            WebElement box = a.byTestId("search-input");
            assertThat(box.getAttribute("placeholder")).isEqualTo("メッセージを検索");

            // Enter searches: two hits, in two rooms, with 防災 marked.
            box.sendKeys("防災");
            box.sendKeys(Keys.ENTER);
            waitForHits(a, 2);
            WebElement hit = hitContaining(a, "集合場所");
            assertThat(hit.findElement(Browser.testId("search-hit-room")).getText()).isEqualTo("防災課");
            assertThat(hit.findElement(Browser.testId("search-hit-sender")).getText()).isEqualTo("佐藤 一郎");
            assertThat(hit.findElement(Browser.testId("search-hit-text")).getText()).isEqualTo(TARGET);
            assertThat(hit.findElements(By.tagName("mark")).stream().map(WebElement::getText).toList()).containsExactly("防災");
            assertThat(hit.findElement(By.tagName("time")).getText()).isNotBlank();
            assertThat(hitContaining(a, "防災無線").findElement(Browser.testId("search-hit-room")).getText()).isEqualTo("総務課");
            assertThat(a.byTestId("search-sort-relevance").getAttribute("aria-pressed")).isEqualTo("true");
            a.screenshot("search-results");

            // 新しい順: the newest first.
            a.click("search-sort-newest");
            new WebDriverWait(a.driver(), WAIT).until(d ->
                    "true".equals(d.findElement(Browser.testId("search-sort-newest")).getAttribute("aria-pressed")));
            waitForHits(a, 2);
            waitFor(a, d -> a.allByTestId("search-hit").get(0).getText().contains("防災無線") ? true : null);

            // Only the room 防災課.
            new Select(a.byTestId("search-filter-room")).selectByVisibleText("防災課");
            a.click("search-apply");
            waitForHits(a, 1);
            assertThat(a.allByTestId("search-hit").get(0).getText()).contains("集合場所");

            // Clicking the hit opens the room at the message: older than the first page, so its history is read;
            // it is scrolled into view, highlighted and focused.
            a.allByTestId("search-hit").get(0).click();
            WebElement message = a.byTestId("message-" + targetSeq);
            assertThat(a.byTestId("room-view").getAttribute("data-room-id")).isEqualTo(bousaiRoom);
            assertThat(a.byTestId("room-title").getText()).isEqualTo("防災課");
            waitFor(a, d -> "true".equals(message.getAttribute("data-target")) ? true : null);
            assertThat(a.byTestId("message-text-" + targetSeq).getText()).isEqualTo(TARGET);
            waitFor(a, d -> Boolean.TRUE.equals(a.driver().executeScript(
                    "const m = arguments[0], list = document.querySelector(\"[data-testid='message-list']\");"
                            + "const r = m.getBoundingClientRect(), l = list.getBoundingClientRect();"
                            + "return r.top >= l.top && r.bottom <= l.bottom;", message)) ? true : null);
            waitFor(a, d -> message.equals(d.switchTo().activeElement()) ? true : null);
            assertThat(a.allByTestId("message-" + (targetSeq + LATER))).as("the newer messages are there too").hasSize(1);
            a.screenshot("search-opened-message");

            // No hits: the empty state; Esc closes the results.
            WebElement again = a.byTestId("search-input");
            again.sendKeys(Keys.chord(Keys.CONTROL, "a"), "存在しない語句");
            again.sendKeys(Keys.ENTER);
            a.waitForText("search-empty", "該当するメッセージはありません");
            a.byTestId("search-input").sendKeys(Keys.ESCAPE);
            waitFor(a, d -> a.allByTestId("search-view").isEmpty() ? true : null);
            assertThat(a.byTestId("room-view").getAttribute("data-room-id")).isEqualTo(bousaiRoom);
        }
    }

    /** Sends a message and returns its seq; past the burst the gateway allows 10 a second, so it waits and sends again. */
    private static long send(WsClient ws, String roomId, String text) {
        JsonNode ack = Eventually.within(Duration.ofSeconds(10)).every(Duration.ofMillis(150)).get("the gateway to take the message",
                () -> ws.request(Map.of("type", "message.send", "id", ws.nextId(), "roomId", roomId, "text", text)),
                a -> !"rate_limited".equals(a.path("code").asText()));
        assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("message.ack");
        return ack.path("seq").asLong();
    }

    private static List<JsonNode> hits(String q) {
        JsonNode body = server.get("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), hanako.accessToken()).body();
        List<JsonNode> hits = new java.util.ArrayList<>();
        body.path("hits").forEach(hits::add);
        return hits;
    }

    private static void signIn(Browser b, String loginId, SignedIn user) {
        b.open(server.baseUrl() + "/");
        b.signIn(loginId, user.password(), server.nextTotpCode(user.totpSecret()));
        b.registerDevice("試験ブラウザ " + loginId);
        b.byTestId("device-pending");
        var pending = server.get("/api/v1/orgs/" + orgId + "/devices?status=pending&userId=" + user.userId(), hanako.accessToken()).body();
        server.approve(user.userId(), pending.get(0).path("id").asText());
        b.byTestId("user-name");
    }

    private static void waitForHits(Browser b, int n) {
        waitFor(b, d -> b.allByTestId("search-hit").size() == n ? true : null);
    }

    private static WebElement hitContaining(Browser b, String text) {
        return waitFor(b, d -> b.allByTestId("search-hit").stream().filter(h -> h.getText().contains(text)).findFirst().orElse(null));
    }

    private static <T> T waitFor(Browser b, Function<WebDriver, T> condition) {
        return new WebDriverWait(b.driver(), WAIT).until(condition::apply);
    }
}
