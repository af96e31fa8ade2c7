package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #4 in three real headless Chromiums, in Japanese (protocol/DEVICES.md): a staff member registers this
 * browser as a device and waits; an admin approves it in their browser and the staff browser moves on by itself
 * and chats; then the staff member's department head revokes the device while it is connected: the staff browser
 * is back at the sign-in screen with the wipe notice and an empty IndexedDB, and the department head sees
 * "消去確認済み". A second story: a rejected registration, and a device reported lost from another device of the
 * same user, which wipes itself when its page is opened again.
 */
class DeviceE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestServer server;
    private static SignedIn owner;
    private static String orgId;
    private static String roomId;
    private static Created staff;
    private static Created admin;
    private static Created head;

    /** A user made over the API whose first sign-in happens in a browser. */
    private record Created(String id, String loginId, String displayName, String initialPassword) {
    }

    @BeforeAll
    static void start() {
        server = TestServer.startWithWebClient();
        TestServer.Org org = server.createOrg(server.operator(), "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        owner = org.owner();
        orgId = org.id();
        String dept = server.post("/api/v1/orgs/" + orgId + "/departments", Map.of("name", "防災課"), owner.accessToken()).text("id");
        staff = createUser("suzuki", "鈴木 一郎", dept, List.of());
        admin = createUser("tanaka", "田中 次郎", null, List.of("admin"));
        head = createUser("kato", "加藤 三郎", dept, List.of("dept_head"));
        roomId = server.post("/api/v1/rooms", Map.of("name", "防災係", "memberIds", List.of(staff.id())), owner.accessToken()).text("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void staffRegisters_adminApproves_staffChats_deptHeadRevokes_browserIsWipedAndConfirms() {
        try (Browser staffBrowser = new Browser("ja"); Browser adminBrowser = new Browser("ja"); Browser headBrowser = new Browser("ja")) {
            // The admin's own browser is a new device too; the owner's approved (harness) device approves it.
            firstSignInAndRegister(adminBrowser, admin, "Tsubaki-Kaze-2026", "管理PC 2F-01");
            approveAsOwner(pendingDeviceOf(admin));
            adminBrowser.waitForText("user-name", admin.displayName());

            // 1. The staff member registers this browser and waits.
            firstSignInAndRegister(staffBrowser, staff, "Asagao-Niwa-2026", "庁舎PC 3F-12");
            staffBrowser.waitForText("device-pending-title", "管理者または所属長の承認を待っています");
            assertThat(staffBrowser.byTestId("device-pending-name").getText()).isEqualTo("庁舎PC 3F-12");
            assertThat(indexedDbNames(staffBrowser)).as("the device key is kept in IndexedDB").contains("kairan");
            staffBrowser.screenshot("device-pending");

            // 2. The admin approves it in the device administration screen.
            adminBrowser.click("nav-device-admin");
            WebElement row = rowWithText(adminBrowser, "pending-device-row", "庁舎PC 3F-12");
            assertThat(row.getText()).contains("鈴木 一郎", "suzuki");
            row.findElement(Browser.testId("device-approve")).click();
            rowWithText(adminBrowser, "pending-device-row", "庁舎PC 3F-12").findElement(Browser.testId("device-approve-confirm")).click();
            adminBrowser.byTestId("success-message");
            adminBrowser.screenshot("device-admin-approved");

            // 3. The staff browser moves on by itself and chats.
            staffBrowser.waitForText("user-name", staff.displayName());
            staffBrowser.click("nav-chat");
            staffBrowser.click("room-item-" + roomId);
            waitForStatus(staffBrowser, "online");
            WebElement input = staffBrowser.byTestId("message-input");
            input.sendKeys("防災訓練の資料を共有します");
            staffBrowser.click("send-button");
            new WebDriverWait(staffBrowser.driver(), WAIT).until(d -> d.findElements(By.cssSelector("[data-testid^='message-text-']"))
                    .stream().anyMatch(e -> e.getText().contains("防災訓練の資料を共有します")));
            staffBrowser.screenshot("device-approved-chat");

            // 4. The department head (their own browser, approved by the owner) revokes the device while it is online.
            firstSignInAndRegister(headBrowser, head, "Kaede-Yama-2026", "課長席PC");
            approveAsOwner(pendingDeviceOf(head));
            headBrowser.waitForText("user-name", head.displayName());
            headBrowser.click("nav-device-admin");
            headBrowser.byTestId("device-dept-head-note");
            WebElement staffRow = rowWithText(headBrowser, "device-row", "庁舎PC 3F-12");
            assertThat(staffRow.getAttribute("data-status")).isEqualTo("approved");
            staffRow.findElement(Browser.testId("device-revoke")).click();
            headBrowser.type("device-revoke-reason", "電車内で紛失したと本人から報告");
            headBrowser.click("device-revoke-confirm");
            headBrowser.byTestId("success-message");

            // 5. The staff browser wipes itself and shows the sign-in screen with the notice.
            staffBrowser.waitForText("device-wiped", "この端末は無効化され、端末内のデータは消去されました");
            staffBrowser.byTestId("login-id");
            assertThat(indexedDbNames(staffBrowser)).as("every IndexedDB database of the origin is deleted").isEmpty();
            assertThat(staffBrowser.driver().executeScript("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
            staffBrowser.screenshot("device-wiped");

            // 6. The department head sees the wipe confirmed.
            new WebDriverWait(headBrowser.driver(), WAIT).until(d -> {
                headBrowser.click("device-reload");
                WebElement wipe = rowWithText(headBrowser, "device-row", "庁舎PC 3F-12").findElement(Browser.testId("device-wipe"));
                return "confirmed".equals(wipe.getAttribute("data-wipe")) ? wipe : null;
            });
            WebElement revoked = rowWithText(headBrowser, "device-row", "庁舎PC 3F-12");
            assertThat(revoked.getAttribute("data-status")).isEqualTo("revoked");
            assertThat(revoked.findElement(Browser.testId("device-wipe")).getText()).startsWith("消去確認済み");
            headBrowser.screenshot("device-wipe-confirmed");

            JsonNode device = deviceOf(staff, "庁舎PC 3F-12");
            assertThat(device.path("status").asText()).isEqualTo("revoked");
            assertThat(device.path("wipe").asText()).isEqualTo("confirmed");
            assertThat(device.path("wipeConfirmedAt").isTextual()).isTrue();
            assertThat(device.path("revokeReason").asText()).isEqualTo("電車内で紛失したと本人から報告");
        }
    }

    @Test
    void aRejectedDeviceForgetsItsKey_andADeviceReportedLostWipesItselfWhenOpenedAgain() {
        Created ito = createUser("ito", "伊藤 四郎", null, List.of());
        try (Browser office = new Browser("ja"); Browser laptop = new Browser("ja")) {
            // A registration the owner rejects: back to sign-in with the notice, and the key is gone.
            byte[] secret = firstSignInAndRegister(office, ito, "Hinata-Sora-2026", "私物PC");
            TestServer.Response rejected = server.post("/api/v1/orgs/" + orgId + "/devices/" + pendingDeviceOf(ito) + "/reject",
                    Map.of("reason", "私物の端末は登録できません"), owner.accessToken());
            assertThat(rejected.status()).as(rejected.raw().body()).isEqualTo(200);
            office.waitForText("device-rejected", "却下");
            assertThat(deviceKeys(office)).as("the rejected key is deleted").isEmpty();
            office.screenshot("device-rejected");

            // The same browser registers again with a new key, and is approved.
            signInAndRegister(office, ito, "Hinata-Sora-2026", secret, "庁舎PC 4F-02");
            approveAsOwner(pendingDeviceOf(ito));
            office.waitForText("user-name", ito.displayName());
            assertThat(deviceKeys(office)).containsExactly("ito");

            // The office PC's page is closed (the key stays in IndexedDB, the refresh cookie in the browser).
            office.open("about:blank");

            // A second device of the same user, from which the first is reported lost.
            signInAndRegister(laptop, ito, "Hinata-Sora-2026", secret, "会議室ノートPC");
            approveAsOwner(pendingDeviceOf(ito));
            laptop.waitForText("user-name", ito.displayName());
            laptop.click("nav-devices");
            WebElement current = rowWithText(laptop, "my-device-row", "会議室ノートPC");
            assertThat(current.findElements(Browser.testId("device-current"))).hasSize(1);
            assertThat(current.findElements(Browser.testId("device-report-lost"))).as("not one's current device").isEmpty();
            rowWithText(laptop, "my-device-row", "庁舎PC 4F-02").findElement(Browser.testId("device-report-lost")).click();
            laptop.type("device-report-lost-reason", "庁舎に置き忘れたまま見つからない");
            laptop.click("device-report-lost-confirm");
            laptop.byTestId("success-message");

            // When the lost device opens the page again, its session restore is refused and it wipes itself.
            office.open(server.baseUrl() + "/");
            office.waitForText("device-wiped", "この端末は無効化され、端末内のデータは消去されました");
            assertThat(indexedDbNames(office)).isEmpty();
            new WebDriverWait(laptop.driver(), WAIT).until(d -> {
                laptop.driver().navigate().refresh();
                WebElement wipe = rowWithText(laptop, "my-device-row", "庁舎PC 4F-02").findElement(Browser.testId("device-wipe"));
                return "confirmed".equals(wipe.getAttribute("data-wipe"));
            });
            laptop.screenshot("my-devices-reported-lost");
            assertThat(deviceOf(ito, "私物PC").path("status").asText()).isEqualTo("rejected");
            assertThat(deviceOf(ito, "庁舎PC 4F-02").path("status").asText()).isEqualTo("revoked");
        }
    }

    private static Created createUser(String loginId, String displayName, String departmentId, List<String> roles) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("loginId", loginId, "displayName", displayName, "roles", roles));
        if (departmentId != null) {
            body.put("departmentId", departmentId);
        }
        TestServer.Response r = server.post("/api/v1/orgs/" + orgId + "/users", body, owner.accessToken());
        assertThat(r.status()).as("create %s: %s", loginId, r.raw().body()).isEqualTo(201);
        return new Created(r.body().path("user").path("id").asText(), loginId, displayName, r.text("initialPassword"));
    }

    /**
     * The first sign-in in a browser: initial password → new password → authenticator → register this browser
     * under {@code deviceName}. Ends on the waiting screen.
     */
    private static byte[] firstSignInAndRegister(Browser b, Created user, String newPassword, String deviceName) {
        b.open(server.baseUrl() + "/");
        byte[] secret = b.firstSignIn(user.loginId(), user.initialPassword(), newPassword, server::totpCode);
        b.registerDevice(deviceName);
        awaitPending(b, user);
        return secret;
    }

    /** A later sign-in in a browser without an approved key: password, TOTP, then register it. */
    private static void signInAndRegister(Browser b, Created user, String password, byte[] secret, String deviceName) {
        if (b.allByTestId("login-id").isEmpty()) {
            b.open(server.baseUrl() + "/");
        }
        b.signIn(user.loginId(), password, server.nextTotpCode(secret));
        b.registerDevice(deviceName);
        awaitPending(b, user);
    }

    /** Waits for the waiting screen; fails with the error the page shows instead, if any. */
    private static void awaitPending(Browser b, Created user) {
        String error = new WebDriverWait(b.driver(), WAIT).until(d -> {
            if (!d.findElements(Browser.testId("device-pending")).isEmpty()) {
                return "";
            }
            return d.findElements(Browser.testId("error-message")).stream().map(WebElement::getText).filter(t -> !t.isBlank())
                    .findFirst().orElse(null);
        });
        if (!error.isEmpty()) {
            b.screenshot("device-register-failed-" + user.loginId());
            throw new AssertionError("registering a device of " + user.loginId() + " failed: " + error);
        }
    }

    /** The login IDs with a device key in the page's IndexedDB (none when the database is gone). */
    private static List<String> deviceKeys(Browser b) {
        Object keys = b.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "indexedDB.databases().then(list => {"
                + "  if (!list.some(d => d.name === 'kairan')) { done([]); return; }"
                + "  const open = indexedDB.open('kairan');"
                + "  open.onsuccess = () => { const db = open.result;"
                + "    if (!db.objectStoreNames.contains('devices')) { db.close(); done([]); return; }"
                + "    const req = db.transaction('devices').objectStore('devices').getAllKeys();"
                + "    req.onsuccess = () => { db.close(); done(req.result); };"
                + "    req.onerror = () => { db.close(); done('error: ' + req.error); }; };"
                + "  open.onerror = () => done('error: ' + open.error);"
                + "}, e => done('error: ' + e));");
        assertThat(keys).as("device keys").isInstanceOf(List.class);
        return ((List<?>) keys).stream().map(String::valueOf).toList();
    }

    /** The owner approves a device over the API, from the device the harness signed them in with. */
    private static void approveAsOwner(String deviceId) {
        TestServer.Response r = server.post("/api/v1/orgs/" + orgId + "/devices/" + deviceId + "/approve", null, owner.accessToken());
        assertThat(r.status()).as("approve %s: %s", deviceId, r.raw().body()).isEqualTo(200);
    }

    /** The id of the user's pending device, as the owner sees it. */
    private static String pendingDeviceOf(Created user) {
        JsonNode list = server.get("/api/v1/orgs/" + orgId + "/devices?status=pending&userId=" + user.id(), owner.accessToken()).body();
        assertThat(list).as("pending devices of %s", user.loginId()).hasSize(1);
        return list.get(0).path("id").asText();
    }

    private static JsonNode deviceOf(Created user, String name) {
        JsonNode list = server.get("/api/v1/orgs/" + orgId + "/devices?userId=" + user.id(), owner.accessToken()).body();
        for (JsonNode d : list) {
            if (d.path("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no device " + name + " of " + user.loginId() + " in " + list);
    }

    /** Waits for the row with this test ID that shows {@code text}. */
    private static WebElement rowWithText(Browser b, String testId, String text) {
        return new WebDriverWait(b.driver(), WAIT).until(d -> d.findElements(Browser.testId(testId)).stream()
                .filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    /** The names of the origin's IndexedDB databases, as the page sees them. */
    private static List<String> indexedDbNames(Browser b) {
        Object names = b.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "indexedDB.databases().then(list => done(list.map(d => d.name)), e => done('error: ' + e));");
        assertThat(names).as("indexedDB.databases()").isInstanceOf(List.class);
        return ((List<?>) names).stream().map(String::valueOf).toList();
    }

    private static void waitForStatus(Browser b, String status) {
        new WebDriverWait(b.driver(), WAIT).until(d -> status.equals(
                d.findElement(Browser.testId("connection-status")).getAttribute("data-status")));
    }
}
