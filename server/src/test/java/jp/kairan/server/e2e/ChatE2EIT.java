package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two staff members talk in a room, each in their own Chromium: messages arrive live, 既読 counts update live,
 * and when one goes offline and messages arrive meanwhile, it reconnects by itself and shows them exactly
 * once and in order.
 */
class ChatE2EIT {
    private static TestServer server;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    private static String roomId;
    private static String orgId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        hanako = org.owner();
        orgId = org.id();
        ichiro = server.createUser(hanako, org.id(), "sato", "佐藤 一郎", List.of(), "Asagao-Niwa-2026");
        roomId = server.post("/api/v1/rooms", Map.of("name", "防災係", "memberIds", List.of(ichiro.userId())), hanako.accessToken()).text("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void twoStaffTalk_oneGoesOfflineAndCatchesUpExactlyOnceInOrder() {
        try (Browser a = new Browser("ja"); Browser b = new Browser("ja")) {
            signIn(a, "yamada", hanako);
            signIn(b, "sato", ichiro);
            openRoom(a);
            openRoom(b);

            long first = send(a, "14時から防災会議です");
            b.waitForText("message-text-" + first, "14時から防災会議です");
            // B has the room open and visible: it marks it read, and A sees 既読 live.
            a.waitForText("read-count-" + first, "既読");
            a.screenshot("chat-read-receipt");

            goOffline(b, true);
            waitForStatus(b, "online", false);
            List<Long> whileAway = new ArrayList<>();
            for (String text : List.of("資料は共有フォルダです", "会議室は3階です", "よろしくお願いします")) {
                whileAway.add(send(a, text));
            }
            goOffline(b, false);
            waitForStatus(b, "online", true);
            b.waitForText("message-text-" + whileAway.get(2), "よろしくお願いします");
            List<Long> shown = seqs(b);
            assertThat(shown).as("each message once, in order").doesNotHaveDuplicates().isSorted();
            assertThat(shown).containsSubsequence(first, whileAway.get(0), whileAway.get(1), whileAway.get(2));
            assertThat(b.allByTestId("message-text-" + whileAway.get(0))).hasSize(1);
            a.waitForText("read-count-" + whileAway.get(2), "既読");
            b.screenshot("chat-after-reconnect");
        }
    }

    @Test
    void anOwnerFindsAnyRoomOfTheOrganizationAndReadsItReadOnly() {
        String privateRoom = server.post("/api/v1/rooms", Map.of("name", "人事の相談", "memberIds", List.of()),
                ichiro.accessToken()).text("id");
        try (jp.kairan.server.testing.WsClient ws = jp.kairan.server.testing.WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            ws.request(Map.of("type", "message.send", "id", "hr-1", "roomId", privateRoom, "text", "異動の件で相談です"));
        }
        try (Browser owner = new Browser("ja")) {
            signIn(owner, "yamada", hanako);
            owner.click("nav-chat");
            owner.click("org-rooms-open");
            owner.byTestId("org-rooms-audit-note");
            owner.click("org-room-open-" + privateRoom);
            owner.byTestId("readonly-banner");
            new WebDriverWait(owner.driver(), Duration.ofSeconds(20)).until(d -> d.findElements(
                    By.cssSelector("[data-testid^='message-text-']")).stream().anyMatch(e -> e.getText().contains("異動の件で相談です")));
            assertThat(owner.allByTestId("message-input")).as("read-only: no input").isEmpty();
            owner.screenshot("chat-owner-read-only");
        }
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

    private static void openRoom(Browser b) {
        b.click("nav-chat");
        b.click("room-item-" + roomId);
        b.byTestId("message-input");
        waitForStatus(b, "online", true);
    }

    /** Sends through the input box and returns the seq the message got once acknowledged. */
    private static long send(Browser b, String text) {
        WebElement input = b.byTestId("message-input");
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
        return new WebDriverWait(b.driver(), Duration.ofSeconds(20)).until(d -> {
            for (WebElement m : d.findElements(By.cssSelector("[data-testid^='message-text-']"))) {
                if (m.getText().contains(text)) {
                    return Long.parseLong(m.getAttribute("data-testid").substring("message-text-".length()));
                }
            }
            return null;
        });
    }

    private static List<Long> seqs(Browser b) {
        List<Long> seqs = new ArrayList<>();
        for (WebElement m : b.driver().findElements(By.cssSelector("[data-testid^='message-'][data-seq]"))) {
            seqs.add(Long.parseLong(m.getAttribute("data-seq")));
        }
        return seqs;
    }

    /** Cuts the browser's network (Chrome DevTools), as a lost Wi-Fi would. */
    private static void goOffline(Browser b, boolean offline) {
        b.driver().executeCdpCommand("Network.enable", Map.of());
        b.driver().executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    private static void waitForStatus(Browser b, String status, boolean is) {
        new WebDriverWait(b.driver(), Duration.ofSeconds(30)).until(d -> {
            String now = d.findElement(Browser.testId("connection-status")).getAttribute("data-status");
            return status.equals(now) == is;
        });
    }
}
