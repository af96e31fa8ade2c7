package jp.kairan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import jp.kairan.server.testing.Browser;
import jp.kairan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation's story in a real headless Chromium, in Japanese: the operator signs in for the first time
 * (setup password → new password → authenticator), creates an organization with its owner; the owner signs in
 * and creates a staff user; the staff member signs in with password and TOTP.
 */
class SignInE2EIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startWithWebClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void operatorCreatesOrg_ownerCreatesStaff_staffSignsInWithPasswordAndTotp() {
        String ownerPassword;
        String staffPassword;
        try (Browser operator = new Browser("ja")) {
            operator.open(server.baseUrl() + "/");
            operator.waitForText("app-name", "回覧");
            firstSignIn(operator, "operator", server.setupPassword(), "Kaiun-Sora-2026");
            operator.byTestId("user-name");
            operator.click("nav-orgs");
            operator.type("org-create-name", "テスト市");
            operator.type("org-create-lgcode", "131016");
            operator.type("org-create-owner-login-id", "sato.hanako");
            operator.type("org-create-owner-name", "佐藤 花子");
            operator.type("org-create-owner-email", "sato@city.example.jp");
            operator.click("org-create-submit");
            ownerPassword = operator.byTestId("initial-password").getText().strip();
            assertThat(ownerPassword).matches("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}");
            operator.screenshot("operator-created-org");
            operator.click("initial-password-done");
            operator.waitForText("org-list", "テスト市");
            operator.click("signout");
            operator.byTestId("login-id");
        }
        try (Browser owner = new Browser("ja")) {
            owner.open(server.baseUrl() + "/");
            firstSignIn(owner, "sato.hanako", ownerPassword, "Sakura-Hana-2026");
            owner.byTestId("user-name");
            owner.waitForText("user-org", "テスト市");
            owner.click("nav-users");
            owner.click("user-create-open");
            owner.type("user-create-login-id", "suzuki.ichiro");
            owner.type("user-create-name", "鈴木 一郎");
            owner.click("user-create-submit");
            staffPassword = owner.byTestId("initial-password").getText().strip();
            owner.click("initial-password-done");
            owner.waitForText("user-list", "suzuki.ichiro");
            owner.screenshot("owner-users");
        try (Browser staff = new Browser("ja")) {
            staff.open(server.baseUrl() + "/");
            byte[] secret = firstSignIn(staff, "suzuki.ichiro", staffPassword, "Asagao-Niwa-2026");
            staff.byTestId("device-pending");
            owner.click("nav-device-admin");
            owner.click("device-approve");
            owner.click("device-approve-confirm");
            staff.waitForText("user-name", "鈴木 一郎");
            staff.click("signout");

            staff.signIn("suzuki.ichiro", "Asagao-Niwa-2026", server.nextTotpCode(secret));
            staff.waitForText("user-name", "鈴木 一郎");
            staff.screenshot("staff-home");
            Object stored = staff.driver().executeScript(
                    "return JSON.stringify(Object.assign({}, window.localStorage, window.sessionStorage))");
            assertThat(String.valueOf(stored)).as("tokens are never kept in web storage").doesNotContain("eyJ");
            assertThat(staff.driver().manage().getCookieNamed("kairan_refresh")).as("refresh cookie is path-scoped to /api/v1/auth")
                    .isNull();
        }
        }
    }

    /** Setup or initial password → new password → authenticator enrolment; returns the TOTP secret. */
    private static byte[] firstSignIn(Browser b, String loginId, String password, String newPassword) {
        byte[] secret = b.firstSignIn(loginId, password, newPassword, server::totpCode);
        b.registerDevice("試験ブラウザ " + loginId);
        return secret;
    }
}
