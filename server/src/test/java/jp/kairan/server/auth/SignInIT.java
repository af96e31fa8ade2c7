package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.kairan.server.audit.AuditRecord;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in end to end over HTTP on real MariaDB: password, TOTP, lockout, refresh, sign-out, audit. */
class SignInIT {
    private static TestServer server;
    private static SignedIn operator;
    private static String orgId;
    private static SignedIn owner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        operator = server.operator();
        Response created = server.post("/api/v1/orgs", Map.of("name", "テスト市", "lgCode", "131016",
                "owner", Map.of("loginId", "owner.test", "displayName", "所有 太郎")), operator.accessToken());
        assertThat(created.status()).isEqualTo(201);
        orgId = created.body().get("org").get("id").asText();
        owner = server.firstSignIn("owner.test", created.text("initialPassword"), "Hinode-Kawa-77");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A fresh owner token: tests move the clock, so a token from an earlier test may have expired. */
    private static String ownerToken() {
        owner = server.signIn("owner.test", owner.password(), owner.totpSecret());
        return owner.accessToken();
    }

    private static String newStaff(String loginId) {
        Response r = server.post("/api/v1/orgs/" + orgId + "/users",
                Map.of("loginId", loginId, "displayName", "職員 " + loginId), ownerToken());
        assertThat(r.status()).isEqualTo(201);
        return r.text("initialPassword");
    }

    @Test
    void operatorFirstSignIn_removesTheSetupPasswordFile() {
        assertThat(server.dataDir().resolve(AccountService.SETUP_PASSWORD_FILE)).doesNotExist();
        operator = server.signIn("operator", TestServer.OPERATOR_PASSWORD, operator.totpSecret());
        Response me = server.get("/api/v1/me", operator.accessToken());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("roles").toString()).contains("operator");
        assertThat(me.body().get("totpEnrolled").asBoolean()).isTrue();
    }

    @Test
    void staffSignsInWithPasswordAndTotp_andTheCodeCannotBeReplayed() {
        SignedIn first = server.firstSignIn("staff.replay", newStaff("staff.replay"), "Asagao-Niwa-31");
        SignedIn again = server.signIn("staff.replay", "Asagao-Niwa-31", first.totpSecret());
        assertThat(server.get("/api/v1/me", again.accessToken()).body().get("loginId").asText()).isEqualTo("staff.replay");

        // The same code (same time step) a second time is refused.
        String usedCode = server.totpCode(first.totpSecret());
        Response step = server.post("/api/v1/auth/login", Map.of("loginId", "staff.replay", "password", "Asagao-Niwa-31"), null);
        Response replay = server.post("/api/v1/auth/otp", Map.of("ticket", step.text("ticket"), "method", "totp", "code", usedCode), null);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo("otp_invalid");
        server.post("/api/v1/orgs/" + orgId + "/users/" + first.userId() + "/unlock", null, ownerToken());
    }

    @Test
    void unknownIdAndWrongPassword_lookAlike_andBothLockAfterFiveFailures() {
        newStaff("staff.lock");
        Response wrong = server.post("/api/v1/auth/login", Map.of("loginId", "staff.lock", "password", "nope-nope-nope"), null);
        Response unknown = server.post("/api/v1/auth/login", Map.of("loginId", "nobody.here", "password", "nope-nope-nope"), null);
        assertThat(wrong.status()).isEqualTo(unknown.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo(unknown.code()).isEqualTo("invalid_credentials");
        for (int i = 0; i < 4; i++) {
            server.post("/api/v1/auth/login", Map.of("loginId", "staff.lock", "password", "nope-nope-nope"), null);
            server.post("/api/v1/auth/login", Map.of("loginId", "nobody.here", "password", "nope-nope-nope"), null);
        }
        Response locked = server.post("/api/v1/auth/login", Map.of("loginId", "staff.lock", "password", "whatever-else"), null);
        Response lockedUnknown = server.post("/api/v1/auth/login", Map.of("loginId", "nobody.here", "password", "whatever-else"), null);
        assertThat(locked.status()).isEqualTo(lockedUnknown.status()).isEqualTo(423);
        assertThat(locked.code()).isEqualTo(lockedUnknown.code()).isEqualTo("account_locked");

        Response users = server.get("/api/v1/orgs/" + orgId + "/users?q=staff.lock", ownerToken());
        assertThat(users.body().get(0).get("locked").asBoolean()).isTrue();
        String userId = users.body().get(0).get("id").asText();
        assertThat(server.post("/api/v1/orgs/" + orgId + "/users/" + userId + "/unlock", null, ownerToken()).status()).isEqualTo(204);
        Response afterUnlock = server.post("/api/v1/auth/login", Map.of("loginId", "staff.lock", "password", "nope-nope-nope"), null);
        assertThat(afterUnlock.code()).isEqualTo("invalid_credentials");

        List<String> actions = audit(Long.parseLong(orgId)).stream().map(AuditRecord::action).toList();
        assertThat(actions).contains("auth.login.failed", "auth.account.locked", "auth.account.unlocked");
        List<String> serverWide = audit(null).stream().filter(a -> "nobody.here".equals(a.actorLogin())).map(AuditRecord::action).toList();
        assertThat(serverWide).contains("auth.login.failed");
    }

    @Test
    void lockExpiresByItself() {
        newStaff("staff.expire");
        for (int i = 0; i < 5; i++) {
            server.post("/api/v1/auth/login", Map.of("loginId", "staff.expire", "password", "bad-password-1"), null);
        }
        assertThat(server.post("/api/v1/auth/login", Map.of("loginId", "staff.expire", "password", "bad-password-1"), null).code())
                .isEqualTo("account_locked");
        server.clock().advance(Duration.ofMinutes(16));
        assertThat(server.post("/api/v1/auth/login", Map.of("loginId", "staff.expire", "password", "bad-password-1"), null).code())
                .isEqualTo("invalid_credentials");
    }

    @Test
    void wrongOneTimePasswords_countTowardsTheLock() {
        SignedIn s = server.firstSignIn("staff.otp", newStaff("staff.otp"), "Tsubame-Sora-12");
        Response last = null;
        for (int i = 0; i < 5; i++) {
            Response step = server.post("/api/v1/auth/login", Map.of("loginId", "staff.otp", "password", "Tsubame-Sora-12"), null);
            if (step.status() != 200) {
                last = step;
                break;
            }
            last = server.post("/api/v1/auth/otp", Map.of("ticket", step.text("ticket"), "method", "totp", "code", "000000"), null);
        }
        Response afterwards = server.post("/api/v1/auth/login", Map.of("loginId", "staff.otp", "password", "Tsubame-Sora-12"), null);
        assertThat(afterwards.code()).isEqualTo("account_locked");
        assertThat(last.status()).isIn(401, 423);
        assertThat(s.userId()).isNotBlank();
    }

    @Test
    void refreshRotates_andReusingASpentTokenEndsTheSession() {
        SignedIn s = server.firstSignIn("staff.refresh", newStaff("staff.refresh"), "Momiji-Yama-45");
        Map<String, String> cookie = Map.of("Cookie", "kairan_refresh=" + s.refreshCookie());
        Response first = server.call("POST", "/api/v1/auth/refresh", null, null, cookie);
        assertThat(first.status()).isEqualTo(200);
        String newAccess = first.text("accessToken");
        assertThat(server.get("/api/v1/me", newAccess).status()).isEqualTo(200);

        server.clock().advance(RefreshTokens.GRACE.plusSeconds(1));
        Response reuse = server.call("POST", "/api/v1/auth/refresh", null, null, cookie);
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.code()).isEqualTo("refresh_invalid");
        assertThat(server.get("/api/v1/me", newAccess).code()).isEqualTo("unauthenticated");
        assertThat(audit(Long.parseLong(orgId)).stream().map(AuditRecord::action)).contains("auth.refresh.reused");
    }

    @Test
    void reusingASpentTokenWithinTheGrace_returnsTheSameSuccessor_andReuseAfterTheGraceStillEndsTheSession() {
        SignedIn s = server.firstSignIn("staff.grace", newStaff("staff.grace"), "Kawasemi-Numa-31");
        Map<String, String> spent = Map.of("Cookie", "kairan_refresh=" + s.refreshCookie());
        Response first = server.call("POST", "/api/v1/auth/refresh", null, null, spent);
        assertThat(first.status()).isEqualTo(200);
        String successor = TestServer.refreshCookie(first);

        server.clock().advance(RefreshTokens.GRACE.minusSeconds(2));
        Response second = server.call("POST", "/api/v1/auth/refresh", null, null, spent);
        assertThat(second.status()).isEqualTo(200);
        assertThat(TestServer.refreshCookie(second)).as("one branch: the same successor").isEqualTo(successor);
        assertThat(server.get("/api/v1/me", second.text("accessToken")).status()).isEqualTo(200);

        // The successor moves on; the spent token, still within its grace, follows it to the live head.
        Response next = server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + successor));
        assertThat(next.status()).isEqualTo(200);
        String head = TestServer.refreshCookie(next);
        assertThat(head).isNotEqualTo(successor);
        Response third = server.call("POST", "/api/v1/auth/refresh", null, null, spent);
        assertThat(TestServer.refreshCookie(third)).isEqualTo(head);

        server.clock().advance(RefreshTokens.GRACE);
        Response reuse = server.call("POST", "/api/v1/auth/refresh", null, null, spent);
        assertThat(reuse.code()).isEqualTo("refresh_invalid");
        assertThat(server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + head)).code())
                .as("the whole family ended").isEqualTo("refresh_invalid");
        assertThat(server.get("/api/v1/me", next.text("accessToken")).code()).isEqualTo("unauthenticated");
    }

    @Test
    void twoTabsRefreshingAtTheSameMoment_endWithTheSameToken() throws Exception {
        SignedIn s = server.firstSignIn("staff.tabs", newStaff("staff.tabs"), "Shirasagi-Ike-58");
        Map<String, String> cookie = Map.of("Cookie", "kairan_refresh=" + s.refreshCookie());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Response>> tabs = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tabs.add(pool.submit(() -> {
                    go.await();
                    return server.call("POST", "/api/v1/auth/refresh", null, null, cookie);
                }));
            }
            go.countDown();
            java.util.Set<String> tokens = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Response> tab : tabs) {
                Response r = tab.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                tokens.add(TestServer.refreshCookie(r));
            }
            assertThat(tokens).as("one live branch").hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signOut_endsTheSessionAtOnce() {
        SignedIn s = server.firstSignIn("staff.logout", newStaff("staff.logout"), "Hotaru-Kawa-88");
        Map<String, String> cookie = Map.of("Cookie", "kairan_refresh=" + s.refreshCookie());
        assertThat(server.call("POST", "/api/v1/auth/logout", null, null, cookie).status()).isEqualTo(204);
        assertThat(server.get("/api/v1/me", s.accessToken()).code()).isEqualTo("unauthenticated");
        assertThat(server.call("POST", "/api/v1/auth/refresh", null, null, cookie).code()).isEqualTo("refresh_invalid");
    }

    @Test
    void refreshFromAnotherSite_isRefused() {
        SignedIn s = server.firstSignIn("staff.csrf", newStaff("staff.csrf"), "Suzume-Mori-21");
        Response r = server.call("POST", "/api/v1/auth/refresh", null, null,
                Map.of("Cookie", "kairan_refresh=" + s.refreshCookie(), "Origin", "https://evil.example"));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void suspendedUser_isRefusedAfterTheRightPassword_andLosesTheSession() {
        SignedIn s = server.firstSignIn("staff.suspend", newStaff("staff.suspend"), "Kitsune-Ta-64");
        Response r = server.patch("/api/v1/orgs/" + orgId + "/users/" + s.userId(), Map.of("status", "suspended"), ownerToken());
        assertThat(r.status()).isEqualTo(200);
        assertThat(server.get("/api/v1/me", s.accessToken()).status()).isIn(401, 403);
        Response login = server.post("/api/v1/auth/login", Map.of("loginId", "staff.suspend", "password", "Kitsune-Ta-64"), null);
        assertThat(login.code()).isEqualTo("account_disabled");
        Response wrong = server.post("/api/v1/auth/login", Map.of("loginId", "staff.suspend", "password", "Kitsune-Ta-65"), null);
        assertThat(wrong.code()).isEqualTo("invalid_credentials");
    }

    @Test
    void passwordPolicy_isEnforcedAtTheForcedChange() {
        String initial = newStaff("staff.policy");
        Response step = server.post("/api/v1/auth/login", Map.of("loginId", "staff.policy", "password", initial), null);
        String ticket = step.text("ticket");
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("short", "too_short");
        refusals.put("password123", "common");
        refusals.put("Password1234", "common");
        refusals.put("staff.policy-x", "login_id");
        refusals.put("StaffPolicy2026", "login_id");
        refusals.put("aaaaaaaaaaaa", "repeated");
        refusals.put(initial, "same_as_current");
        refusals.forEach((bad, rule) -> {
            Response r = server.post("/api/v1/auth/password", Map.of("ticket", ticket, "newPassword", bad), null);
            assertThat(r.code()).as(bad).isEqualTo("password_policy");
            assertThat(r.body().get("field").asText()).as(bad).isEqualTo("newPassword");
            assertThat(r.body().get("detail").asText()).as(bad).isEqualTo(rule);
        });
        // Skipping ahead is refused: no TOTP enrolment before the password is changed.
        assertThat(server.post("/api/v1/auth/totp/enrol", Map.of("ticket", ticket), null).code()).isEqualTo("conflict");
        assertThat(server.post("/api/v1/auth/otp", Map.of("ticket", "not-a-ticket", "method", "totp", "code", "123456"), null).code())
                .isEqualTo("login_expired");
    }

    @Test
    void expiredAccessToken_isReportedAsExpired() {
        SignedIn s = server.firstSignIn("staff.expiry", newStaff("staff.expiry"), "Tanuki-Hara-53");
        server.clock().advance(Duration.ofMinutes(6));
        assertThat(server.get("/api/v1/me", s.accessToken()).code()).isEqualTo("token_expired");
        assertThat(server.get("/api/v1/me", s.accessToken() + "x").code()).isEqualTo("unauthenticated");
    }

    @Test
    void replacingTheAuthenticator_needsTheCurrentPassword_andTheOldOneWorksUntilConfirmed() {
        SignedIn s = server.firstSignIn("staff.reenrol", newStaff("staff.reenrol"), "Nezumi-Kura-72");
        Response noPassword = server.post("/api/v1/me/totp/enrol", Map.of("currentPassword", "wrong-password"), s.accessToken());
        assertThat(noPassword.code()).isEqualTo("invalid_credentials");
        assertThat(noPassword.text("field")).isEqualTo("currentPassword");
        assertThat(server.post("/api/v1/me/totp/enrol", null, s.accessToken()).code()).isEqualTo("invalid_json");

        Response enrol = server.post("/api/v1/me/totp/enrol", Map.of("currentPassword", "Nezumi-Kura-72"), s.accessToken());
        byte[] fresh = Base32.decode(enrol.text("secret"));
        SignedIn withOld = server.signIn("staff.reenrol", "Nezumi-Kura-72", s.totpSecret());
        assertThat(server.post("/api/v1/me/totp/confirm", Map.of("code", "000000"), withOld.accessToken()).code()).isEqualTo("otp_invalid");
        assertThat(server.post("/api/v1/me/totp/confirm", Map.of("code", server.totpCode(fresh)), withOld.accessToken()).status())
                .isEqualTo(204);
        assertThat(server.signIn("staff.reenrol", "Nezumi-Kura-72", fresh).accessToken()).isNotBlank();
    }

    @Test
    void jwksPublishesTheSigningKey() {
        Response r = server.get("/.well-known/jwks.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().body()).contains("\"kty\":\"EC\"").contains("\"crv\":\"P-256\"").doesNotContain("\"d\"");
    }

    private static List<AuditRecord> audit(Long org) {
        return server.server().database().call(tx -> new jp.kairan.server.audit.AuditService(server.clock(), jp.kairan.protocol.Json.mapper())
                .recent(tx, org, 500));
    }
}
