package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #5 in two real headless Chromiums, in Japanese (protocol/POLICY.md): two staff members of one room, whose
 * ceiling is the org default (class II).
 * <ol>
 *   <li>A My Number next to マイナンバー is blocked: the sender sees why, masked ({@code マイナンバー ****-****-9018}),
 *       the draft stays in the message box, and the other member never sees it (checked after a later message has
 *       arrived);</li>
 *   <li>a welfare note with the name masked passes;</li>
 *   <li>a bare 12-digit number that passes the My Number check digit needs confirming: the dialog explains, and once
 *       confirmed the message is sent exactly once;</li>
 *   <li>the org owner allows a single approver and starts an emergency in the room's settings: the member sees the
 *       banner live, with the reason, and it goes when the emergency ends;</li>
 *   <li>with two approvers, a request shows as pending until an admin approves it, then as the banner.</li>
 * </ol>
 */
class PolicyE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MY_NUMBER_TEXT = "マイナンバーは 1234 5678 9018 です";
    private static final String WELFARE_TEXT = "山田○○さんの生活保護の件、明日訪問します";
    private static final String ORDER_NUMBER = "202610160001";
    private static final String EMERGENCY_REASON = "児童の安全確認（虐待の通告あり）";

    private static TestServer server;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    /** An org admin, who approves emergencies over the API. */
    private static SignedIn jiro;
    private static String orgId;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.startWithWebClient();
        TestServer.Org org = server.createOrg(server.operator(), "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        hanako = org.owner();
        orgId = org.id();
        ichiro = server.createUser(hanako, orgId, "sato", "佐藤 一郎", List.of(), "Asagao-Niwa-2026");
        jiro = server.createUser(hanako, orgId, "tanaka", "田中 次郎", List.of("admin"), "Tsubaki-Kaze-2026");
        roomId = server.post("/api/v1/rooms", Map.of("name", "生活福祉課", "memberIds", List.of(ichiro.userId())),
                hanako.accessToken()).text("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void classIIsBlockedMaskedNotesPass_aBareNumberIsConfirmed_anEmergencyShowsItsBanner() {
        try (Browser a = new Browser("ja"); Browser b = new Browser("ja")) {
            signIn(a, "yamada", hanako);
            signIn(b, "sato", ichiro);
            openRoom(a);
            openRoom(b);

            // 1. Blocked: the reason, masked; the draft stays; nothing in the timeline.
            typeAndEnter(a, MY_NUMBER_TEXT);
            a.waitForText("policy-blocked", "****-****-9018");
            WebElement blocked = a.byTestId("policy-blocked");
            assertThat(blocked.getAttribute("role")).isEqualTo("alert");
            assertThat(blocked.getText()).contains("この部屋では", "区分I");
            assertThat(texts(a, "policy-finding-text")).containsExactly("マイナンバー ****-****-9018");
            assertThat(texts(a, "policy-finding-mark")).containsExactly("1234 5678 9018");
            assertThat(inputValue(a)).as("the draft stays in the message box").isEqualTo(MY_NUMBER_TEXT);
            assertThat(a.byTestId("message-input").getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(messageTexts(a)).noneMatch(t -> t.contains("1234"));
            assertThat(a.allByTestId("pending-message")).as("not in the timeline, not even as pending").isEmpty();
            a.screenshot("policy-blocked");

            // 2. A masked welfare note passes; once it has arrived, the blocked message has not, and never will.
            clearInput(a);
            long welfare = send(a, WELFARE_TEXT);
            b.waitForText("message-text-" + welfare, WELFARE_TEXT);
            assertThat(messageTexts(b)).as("the other member never sees the blocked message").noneMatch(t -> t.contains("1234"));
            assertThat(b.byTestId("room-last-" + roomId).getText()).doesNotContain("1234");
            assertThat(a.allByTestId("policy-blocked")).as("sending again replaces the refusal").isEmpty();

            // 3. A bare 12-digit number passing the check digit: confirm, then it is sent once.
            typeAndEnter(a, ORDER_NUMBER);
            WebElement dialog = a.byTestId("policy-confirm-dialog");
            assertThat(dialog.getAttribute("role")).isEqualTo("dialog");
            assertThat(dialog.getAttribute("aria-modal")).isEqualTo("true");
            assertThat(dialog.getText()).contains("マイナンバー", "****-****-0001", "送信する", "キャンセル");
            assertThat(inputValue(a)).isEqualTo(ORDER_NUMBER);
            assertThat(messageTexts(a)).noneMatch(t -> t.contains(ORDER_NUMBER));
            a.screenshot("policy-confirm");
            a.click("policy-confirm-send");
            long order = waitForMessage(a, ORDER_NUMBER);
            b.waitForText("message-text-" + order, ORDER_NUMBER);
            new WebDriverWait(a.driver(), WAIT).until(d -> a.allByTestId("pending-message").isEmpty());
            assertThat(messageTexts(a).stream().filter(ORDER_NUMBER::equals)).as("sent once, not duplicated").hasSize(1);
            assertThat(messageTexts(b).stream().filter(ORDER_NUMBER::equals)).hasSize(1);
            assertThat(a.allByTestId("policy-confirm-dialog")).isEmpty();
            assertThat(inputValue(a)).isEmpty();

            // 4. The owner adds a word to the org's dictionary (an empty row is refused in place), lets one approver
            //    suffice, and starts an emergency; the member sees the banner live.
            a.click("nav-policy");
            WebElement terms = a.byTestId("policy-terms");
            assertThat(a.byTestId("built-in-welfare").getText()).contains("福祉");
            a.click("term-add");
            a.click("terms-save");
            waitForTextIn(a, terms, "error-message", "1〜40文字");
            assertThat(a.allByTestId("term-row").get(0).getAttribute("class")).contains("invalid");
            a.type("term-input", "就労自立給付金");
            a.click("terms-save");
            waitForTextIn(a, terms, "success-message", "辞書を保存しました（1語）");
            WebElement single = a.byTestId("org-policy-single-approver");
            if (!single.isSelected()) {
                single.click();
            }
            a.click("org-policy-save");
            waitForTextIn(a, a.byTestId("org-policy"), "success-message", "方針を保存しました");
            a.screenshot("policy-admin");
            a.click("nav-chat");
            a.click("room-item-" + roomId);
            a.click("room-settings-open");
            a.type("emergency-reason-input", EMERGENCY_REASON);
            a.type("emergency-hours-input", "4");
            a.click("emergency-request");
            a.waitForText("success-message", "緊急モードを開始しました");
            assertThat(a.byTestId("emergency-state").getAttribute("data-state")).isEqualTo("active");
            a.screenshot("policy-room-settings");

            WebElement banner = waitFor(b, d -> b.allByTestId("emergency-banner").stream().findFirst().orElse(null));
            assertThat(banner.getAttribute("role")).isEqualTo("alert");
            assertThat(banner.getText()).contains("緊急モード", EMERGENCY_REASON);
            assertThat(b.byTestId("emergency-ends").getText()).startsWith("終了予定：");
            assertThat(b.byTestId("room-ceiling").getAttribute("data-ceiling")).isEqualTo("I");
            b.screenshot("policy-emergency-banner");

            // While it lasts nothing of class I is blocked (and every such message is audited by the server).
            a.click("room-item-" + roomId);
            a.byTestId("emergency-banner");
            long during = send(a, MY_NUMBER_TEXT);
            b.waitForText("message-text-" + during, MY_NUMBER_TEXT);

            // Ended early: the banner goes for the member.
            a.click("room-settings-open");
            a.click("emergency-end");
            a.click("emergency-end-confirm");
            a.waitForText("success-message", "緊急モードを終了しました");
            new WebDriverWait(b.driver(), WAIT).until(d -> b.allByTestId("emergency-banner").isEmpty());
            assertThat(b.byTestId("room-ceiling").getAttribute("data-ceiling")).isEqualTo("II");

            // 5. With two approvers again: a request is pending (a quiet notice, the ceiling unchanged) until an admin
            //    other than the requester approves it, then the banner shows, all live.
            assertThat(server.call("PUT", "/api/v1/orgs/" + orgId + "/policy", Map.of("emergencySingleApprover", false),
                    hanako.accessToken(), Map.of()).status()).isEqualTo(200);
            assertThat(server.post("/api/v1/rooms/" + roomId + "/emergency", Map.of("reason", "台風接近に伴う避難支援", "hours", 2),
                    hanako.accessToken()).status()).isEqualTo(200);
            b.waitForText("emergency-pending", "承認待ち");
            assertThat(b.byTestId("emergency-pending").getAttribute("role")).isEqualTo("status");
            assertThat(b.byTestId("emergency-pending-reason").getText()).contains("台風接近に伴う避難支援");
            assertThat(b.allByTestId("emergency-banner")).isEmpty();
            assertThat(b.byTestId("room-ceiling").getAttribute("data-ceiling")).isEqualTo("II");
            assertThat(server.post("/api/v1/rooms/" + roomId + "/emergency/approve", Map.of(), jiro.accessToken()).status())
                    .isEqualTo(200);
            b.waitForText("emergency-banner", "台風接近に伴う避難支援");
            assertThat(b.allByTestId("emergency-pending")).isEmpty();
            assertThat(b.byTestId("room-ceiling").getAttribute("data-ceiling")).isEqualTo("I");
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
        new WebDriverWait(b.driver(), WAIT).until(d ->
                "online".equals(d.findElement(Browser.testId("connection-status")).getAttribute("data-status")));
        // The room's policy has been read (the header shows the ceiling): the draft check has a room to ask about.
        b.byTestId("room-ceiling");
    }

    private static void typeAndEnter(Browser b, String text) {
        WebElement input = b.byTestId("message-input");
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    /** Sends through the message box and returns the seq the stored message got. */
    private static long send(Browser b, String text) {
        typeAndEnter(b, text);
        return waitForMessage(b, text);
    }

    private static long waitForMessage(Browser b, String text) {
        return waitFor(b, d -> {
            for (WebElement m : d.findElements(By.cssSelector("[data-testid^='message-text-']"))) {
                if (m.getText().equals(text)) {
                    return Long.parseLong(m.getAttribute("data-testid").substring("message-text-".length()));
                }
            }
            return null;
        });
    }

    private static void clearInput(Browser b) {
        WebElement input = b.byTestId("message-input");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"));
        input.sendKeys(Keys.BACK_SPACE);
        new WebDriverWait(b.driver(), WAIT).until(d -> inputValue(b).isEmpty());
    }

    private static String inputValue(Browser b) {
        String value = b.byTestId("message-input").getDomProperty("value");
        return value == null ? "" : value;
    }

    private static List<String> messageTexts(Browser b) {
        return b.driver().findElements(By.cssSelector("[data-testid^='message-text-']")).stream().map(WebElement::getText).toList();
    }

    private static List<String> texts(Browser b, String testId) {
        return b.allByTestId(testId).stream().map(WebElement::getText).toList();
    }

    /** Waits until an element with this test ID inside {@code scope} contains {@code text}. */
    private static void waitForTextIn(Browser b, WebElement scope, String testId, String text) {
        waitFor(b, d -> scope.findElements(Browser.testId(testId)).stream().anyMatch(e -> e.getText().contains(text)) ? true : null);
    }

    private static <T> T waitFor(Browser b, Function<WebDriver, T> condition) {
        return new WebDriverWait(b.driver(), WAIT).until(condition::apply);
    }
}
