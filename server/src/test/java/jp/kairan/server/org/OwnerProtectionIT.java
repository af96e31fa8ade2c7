package jp.kairan.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.DeviceKey;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An admin cannot take over an owner, admin or auditor (issue #16): the takeover chain — reset the owner's password
 * and authenticator, sign in as the owner on a new key, approve that key — is refused and audited at every step,
 * as are unlocking, suspending and changing the e-mail; a department head decides no such devices either. An owner
 * still does each of them for another owner or admin, and an admin still does them for a member.
 */
class OwnerProtectionIT {
    private static TestServer server;
    private static SignedIn operator;
    private static String org;
    private static SignedIn owner;
    private static SignedIn owner2;
    private static SignedIn admin;
    private static SignedIn admin2;
    private static SignedIn auditor;
    private static SignedIn member;
    private static SignedIn head;
    private static String dept;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        operator = server.operator();
        TestServer.Org o = server.createOrg(operator, "防護市", "owner.p", "防護 所有者", "Sakura-Hana-101");
        org = o.id();
        owner = o.owner();
        owner2 = server.createUser(owner, org, "owner2.p", "二 所有者", List.of("owner"), "Sakura-Hana-102");
        admin = server.createUser(owner, org, "admin.p", "管理 者", List.of("admin"), "Kaede-Aki-303");
        admin2 = server.createUser(owner, org, "admin2.p", "管理 二", List.of("admin"), "Kaede-Aki-304");
        auditor = server.createUser(owner, org, "auditor.p", "監査 者", List.of("auditor"), "Kaede-Aki-305");
        member = server.createUser(owner, org, "member.p", "職員 一", List.of(), "Ume-Haru-404");
        head = server.createUser(owner, org, "head.p", "課長 一", List.of("dept_head"), "Ume-Haru-405");
        dept = server.post("/api/v1/orgs/" + org + "/departments", Map.of("name", "総務課"), owner().accessToken()).text("id");
        for (SignedIn u : List.of(owner, head)) {
            assertThat(server.patch(user(u), Map.of("departmentId", dept), owner().accessToken()).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String user(SignedIn u) {
        return "/api/v1/orgs/" + org + "/users/" + u.userId();
    }

    private static String device(String id, String action) {
        return "/api/v1/orgs/" + org + "/devices/" + id + "/" + action;
    }

    private static SignedIn owner() {
        return server.signIn("owner.p", "Sakura-Hana-101", owner.totpSecret());
    }

    private static SignedIn owner2() {
        return server.signIn("owner2.p", "Sakura-Hana-102", owner2.totpSecret());
    }

    private static SignedIn admin() {
        return server.signIn("admin.p", "Kaede-Aki-303", admin.totpSecret());
    }

    private static SignedIn head() {
        return server.signIn("head.p", "Ume-Haru-405", head.totpSecret());
    }

    private static long audits(String action, String target) {
        return server.server().database().call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM audit_events WHERE action = ? AND target_id = ?")) {
                ps.setString(1, action);
                ps.setString(2, target);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }

    /** A new browser of {@code u} (who knows the password and authenticator) registered and waiting for approval. */
    private static String pendingDevice(SignedIn u, String loginId) {
        Response pending = newDevice(u, loginId);
        assertThat(pending.text("next")).isEqualTo("device_pending");
        return pending.body().get("device").get("id").asText();
    }

    /** Signs {@code u} in on a new key and registers it: the answer of the registration. */
    private static Response newDevice(SignedIn u, String loginId) {
        DeviceKey key = DeviceKey.generate(server.clock());
        Response step = server.postAs(key, "/api/v1/auth/login", Map.of("loginId", loginId, "password", u.password()));
        step = server.postAs(key, "/api/v1/auth/otp", Map.of("ticket", step.text("ticket"), "method", "totp",
                "code", server.nextTotpCode(u.totpSecret())));
        assertThat(step.text("next")).isEqualTo("device_register");
        return server.postAs(key, "/api/v1/auth/device", Map.of("ticket", step.text("ticket"), "name", "新しい端末",
                "publicKey", key.publicJwk()));
    }

    @Test
    void aSoleOwnerApprovesTheirOwnSecondDevice_andIsApprovedAtOnceAfterLosingEveryDevice() {
        TestServer.Org sole = server.createOrg(server.signIn("operator", operator.password(), operator.totpSecret()), "単独町", "sole.p", "単独 所有者", "Sakura-Hana-109");
        SignedIn soleAdmin = server.createUser(sole.owner(), sole.id(), "sole.admin", "単独 管理", List.of("admin"), "Kaede-Aki-309");
        String second = pendingDevice(sole.owner(), "sole.p");
        String path = "/api/v1/orgs/" + sole.id() + "/devices/" + second;
        assertThat(server.post(path + "/approve", null, soleAdmin.accessToken()).code()).isEqualTo("forbidden");
        SignedIn first = server.signIn("sole.p", "Sakura-Hana-109", sole.owner().totpSecret());
        assertThat(server.post(path + "/approve", null, first.accessToken()).text("status")).isEqualTo("approved");

        // Both devices lost: the admin may not approve a new one, so it is approved at once (bootstrap).
        assertThat(server.post("/api/v1/me/devices/" + second + "/revoke", Map.of("reason", "紛失"), first.accessToken()).status())
                .isEqualTo(200);
        assertThat(server.post("/api/v1/me/devices/" + first.deviceId() + "/revoke", Map.of("reason", "紛失"), first.accessToken())
                .status()).isEqualTo(200);
        Response again = newDevice(sole.owner(), "sole.p");
        assertThat(again.text("next")).isEqualTo("done");
    }

    @Test
    void anAdminCannotTakeOverAnOwner_andEveryStepIsRefusedAndAudited() {
        String a = admin().accessToken();
        // 1. Reset the owner's password and authenticator: refused, no initial password, audited.
        Response reset = server.post(user(owner) + "/reset-password", Map.of("resetTotp", true), a);
        assertThat(reset.code()).isEqualTo("forbidden");
        assertThat(reset.body().has("initialPassword")).isFalse();
        assertThat(audits("org.user.action-denied", owner.userId())).isEqualTo(1);
        assertThat(audits("auth.password.reset", owner.userId())).isZero();
        // The same for everyone holding a role only owners grant.
        for (SignedIn target : List.of(owner2, admin2, auditor)) {
            assertThat(server.post(user(target) + "/reset-password", null, a).code()).isEqualTo("forbidden");
            assertThat(audits("org.user.action-denied", target.userId())).isGreaterThanOrEqualTo(1);
        }
        // 2. Unlock, suspend, change the e-mail or the name of an owner: refused and audited.
        long before = audits("org.user.action-denied", owner.userId());
        assertThat(server.post(user(owner) + "/unlock", null, a).code()).isEqualTo("forbidden");
        assertThat(server.patch(user(owner), Map.of("status", "suspended"), a).code()).isEqualTo("forbidden");
        assertThat(server.patch(user(owner), Map.of("email", "attacker@evil.example"), a).code()).isEqualTo("forbidden");
        assertThat(server.patch(user(owner), Map.of("displayName", "乗っ取り"), a).code()).isEqualTo("forbidden");
        assertThat(server.patch(user(auditor), Map.of("status", "suspended"), a).code()).isEqualTo("forbidden");
        assertThat(audits("org.user.action-denied", owner.userId())).isEqualTo(before + 4);
        // 3. Grant itself owner: refused (as before).
        assertThat(server.patch(user(admin), Map.of("roles", List.of("owner", "admin", "auditor")), a).code()).isEqualTo("forbidden");

        // Nothing changed: the owner still signs in with the old password and authenticator, active, e-mail untouched.
        SignedIn o = owner();
        Response me = server.get(user(owner), o.accessToken());
        assertThat(me.text("status")).isEqualTo("active");
        assertThat(me.text("displayName")).isEqualTo("防護 所有者");
        assertThat(me.body().path("email").asText("")).doesNotContain("evil");

        // 4. A new key signed in as the owner waits; neither an admin nor the head of the owner's department decides it,
        // nor the owner themself while another owner could; another owner does.
        String pending = pendingDevice(owner, "owner.p");
        for (String action : List.of("approve", "reject", "revoke")) {
            Object body = action.equals("approve") ? null : Map.of("reason", "x");
            assertThat(server.post(device(pending, action), body, admin().accessToken()).code()).isEqualTo("forbidden");
            assertThat(server.post(device(pending, action), body, head().accessToken()).code()).isEqualTo("forbidden");
        }
        assertThat(server.post(device(pending, "approve"), null, owner().accessToken()).code()).isEqualTo("forbidden");
        assertThat(audits("device.action-denied", pending)).isEqualTo(7);
        assertThat(audits("device.approved", pending)).isZero();
        Response approved = server.post(device(pending, "approve"), null, owner2().accessToken());
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("approved");

        // An admin's device, too, is decided only by an owner.
        String adminsNew = pendingDevice(admin2, "admin2.p");
        assertThat(server.post(device(adminsNew, "approve"), null, admin().accessToken()).code()).isEqualTo("forbidden");
        assertThat(audits("device.action-denied", adminsNew)).isEqualTo(1);
        assertThat(server.post(device(adminsNew, "approve"), null, owner().accessToken()).status()).isEqualTo(200);
    }

    @Test
    void anOwnerStillManagesOwnersAndAdmins_andAnAdminStillManagesMembers() {
        SignedIn owner3 = server.createUser(owner(), org, "owner3.p", "三 所有者", List.of("owner"), "Sakura-Hana-103");
        SignedIn admin3 = server.createUser(owner(), org, "admin3.p", "管理 三", List.of("admin"), "Kaede-Aki-306");
        SignedIn member2 = server.createUser(owner(), org, "member2.p", "職員 二", List.of(), "Ume-Haru-406");
        String o2 = owner2().accessToken();
        for (SignedIn target : List.of(owner3, admin3)) {
            Response reset = server.post(user(target) + "/reset-password", Map.of("resetTotp", true), o2);
            assertThat(reset.status()).isEqualTo(200);
            assertThat(reset.text("initialPassword")).isNotBlank();
            assertThat(server.post(user(target) + "/unlock", null, o2).status()).isEqualTo(204);
            assertThat(server.patch(user(target), Map.of("email", "x." + target.userId() + "@city.example.jp"), o2).status())
                    .isEqualTo(200);
            assertThat(server.patch(user(target), Map.of("status", "suspended"), o2).text("status")).isEqualTo("suspended");
            assertThat(server.patch(user(target), Map.of("status", "active"), o2).text("status")).isEqualTo("active");
        }

        String a = admin().accessToken();
        String memberDevice = pendingDevice(member2, "member2.p");
        assertThat(server.post(user(member2) + "/reset-password", null, a).text("initialPassword")).isNotBlank();
        assertThat(server.post(user(member2) + "/unlock", null, a).status()).isEqualTo(204);
        assertThat(server.patch(user(member2), Map.of("email", "member2.p@city.example.jp"), a).status()).isEqualTo(200);
        assertThat(server.patch(user(member2), Map.of("status", "suspended"), a).text("status")).isEqualTo("suspended");
        assertThat(server.patch(user(member2), Map.of("status", "active"), a).text("status")).isEqualTo("active");
        assertThat(server.post(device(memberDevice, "reject"), Map.of("reason", "私物端末"), a).text("status")).isEqualTo("rejected");
        assertThat(audits("org.user.action-denied", member2.userId())).isZero();
        assertThat(audits("device.action-denied", memberDevice)).isZero();

        // A department head still decides the devices of their department's staff.
        assertThat(server.patch(user(member), Map.of("departmentId", dept), a).status()).isEqualTo(200);
        String staffDevice = pendingDevice(member, "member.p");
        assertThat(server.post(device(staffDevice, "approve"), null, head().accessToken()).text("status")).isEqualTo("approved");
    }
}
