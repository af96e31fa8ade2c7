package jp.kairan.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.kairan.server.testing.DeviceKey;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registered devices on real MariaDB: pending devices get no token, approvers and their limits, revocation
 * closing live connections and refusing every token at once, remote-wipe confirmation, and what a copied token,
 * a replayed proof or a reused refresh token can do (nothing).
 */
class DeviceIT {
    private static TestServer server;
    private static TestServer.Org org;
    private static TestServer.Org other;
    private static String deptA;
    private static String deptB;
    private static SignedIn headA;
    private static SignedIn admin;
    private static SignedIn otherOwner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        SignedIn operator = server.operator();
        org = server.createOrg(operator, "端末市", "owner.dev", "端末 所有者", "Sakura-Hana-101");
        other = server.createOrg(operator, "隣町", "owner.next", "隣 所有者", "Fuji-Yama-202");
        otherOwner = other.owner();
        deptA = server.post("/api/v1/orgs/" + org.id() + "/departments", Map.of("name", "防災課"), org.owner().accessToken()).text("id");
        deptB = server.post("/api/v1/orgs/" + org.id() + "/departments", Map.of("name", "税務課"), org.owner().accessToken()).text("id");
        admin = server.createUser(org.owner(), org.id(), "admin.dev", "管理 者", List.of("admin"), "Kaede-Aki-303");
        headA = server.createUser(org.owner(), org.id(), "head.a", "防災 課長", List.of("dept_head"), "Kaede-Aki-404");
        moveTo(headA, deptA);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void moveTo(SignedIn user, String dept) {
        Response r = server.patch("/api/v1/orgs/" + org.id() + "/users/" + user.userId(), Map.of("departmentId", dept),
                owner().accessToken());
        assertThat(r.status()).isEqualTo(200);
    }

    /** A fresh owner session (tests move the clock past token lifetimes). */
    private static SignedIn owner() {
        return server.signIn("owner.dev", "Sakura-Hana-101", org.owner().totpSecret());
    }

    private static SignedIn staff(String loginId, String dept) {
        SignedIn s = server.createUser(owner(), org.id(), loginId, "職員 " + loginId, List.of(), "Ume-Haru-404-" + Integer.toHexString(loginId.hashCode()));
        if (dept != null) {
            moveTo(s, dept);
        }
        return s;
    }

    /** A second browser of a signed-in user, stopped at the device step: returns the sign-in's last answer. */
    private static Response newBrowser(SignedIn user, String loginId, DeviceKey key) {
        Response step = server.postAs(key, "/api/v1/auth/login", Map.of("loginId", loginId, "password", user.password()));
        assertThat(step.text("next")).isEqualTo("otp");
        return server.postAs(key, "/api/v1/auth/otp", Map.of("ticket", step.text("ticket"), "method", "totp",
                "code", server.nextTotpCode(user.totpSecret())));
    }

    private static Response register(DeviceKey key, String ticket, String name) {
        return server.postAs(key, "/api/v1/auth/device", Map.of("ticket", ticket, "name", name, "publicKey", key.publicJwk()));
    }

    private static String devicePath(String deviceId, String action) {
        return "/api/v1/orgs/" + org.id() + "/devices/" + deviceId + "/" + action;
    }

    private static long auditCount(String action, String target) {
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

    @Test
    void aNewDeviceWaitsForApprovalWithoutATokenAndMovesOnWhenApproved() {
        SignedIn hanako = staff("hanako.dev", deptA);
        DeviceKey phone = DeviceKey.generate(server.clock());
        Response step = newBrowser(hanako, "hanako.dev", phone);
        assertThat(step.text("next")).isEqualTo("device_register");
        assertThat(step.body().has("session")).isFalse();
        String ticket = step.text("ticket");

        Response pending = register(phone, ticket, "公用スマホ");
        assertThat(pending.text("next")).isEqualTo("device_pending");
        assertThat(pending.body().has("session")).isFalse();
        JsonNode device = pending.body().get("device");
        assertThat(device.get("status").asText()).isEqualTo("pending");
        assertThat(device.get("name").asText()).isEqualTo("公用スマホ");
        assertThat(TestServer.refreshCookie(pending)).isNull();

        // Waiting stays pending; another key cannot wait on this ticket.
        assertThat(server.postAs(phone, "/api/v1/auth/device/wait", Map.of("ticket", ticket)).text("next")).isEqualTo("device_pending");
        DeviceKey thief = DeviceKey.generate(server.clock());
        assertThat(server.postAs(thief, "/api/v1/auth/device/wait", Map.of("ticket", ticket)).code()).isEqualTo("dpop_invalid");

        // The department head sees it among the pending devices of the department and approves it.
        Response list = server.get("/api/v1/orgs/" + org.id() + "/devices?status=pending", head().accessToken());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().findValuesAsText("id")).contains(device.get("id").asText());
        Response approved = server.post(devicePath(device.get("id").asText(), "approve"), null, head().accessToken());
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("approved");

        Response done = server.postAs(phone, "/api/v1/auth/device/wait", Map.of("ticket", ticket));
        assertThat(done.text("next")).isEqualTo("done");
        String token = done.body().get("session").get("accessToken").asText();
        assertThat(server.get("/api/v1/me", token).status()).isEqualTo(200);
        Response mine = server.get("/api/v1/me/devices", token);
        assertThat(mine.body()).hasSize(2);
        for (JsonNode d : mine.body()) {
            assertThat(d.get("current").asBoolean()).isEqualTo(d.get("id").asText().equals(device.get("id").asText()));
        }
        assertThat(auditCount("device.approved", device.get("id").asText())).isEqualTo(1);
    }

    @Test
    void aRevokedDevicesConnectionClosesAndItsTokensAreRefusedWithinASecond() throws Exception {
        SignedIn jiro = staff("jiro.dev", deptA);
        SignedIn jiroPc = server.signIn("jiro.dev", jiro.password(), jiro.totpSecret());
        DeviceKey laptop = DeviceKey.generate(server.clock());
        Response step = newBrowser(jiro, "jiro.dev", laptop);
        Response pending = register(laptop, step.text("ticket"), "持ち出しPC");
        String lostId = pending.body().get("device").get("id").asText();
        assertThat(server.post(devicePath(lostId, "approve"), null, admin().accessToken()).status()).isEqualTo(200);
        Response done = server.postAs(laptop, "/api/v1/auth/device/wait", Map.of("ticket", step.text("ticket")));
        String lostToken = done.body().get("session").get("accessToken").asText();
        String lostCookie = TestServer.refreshCookie(done);

        try (WsClient lost = WsClient.signedIn(server.gatewayUrl(), lostToken);
             WsClient lost2 = WsClient.signedIn(server.gatewayUrl(), lostToken);
             WsClient kept = WsClient.signedIn(server.gatewayUrl(), jiroPc.accessToken())) {
            // Reported lost from the other device, with a reason.
            long start = System.nanoTime();
            Response revoked = server.post("/api/v1/me/devices/" + lostId + "/revoke", Map.of("reason", "電車内で紛失"),
                    jiroPc.accessToken());
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.text("status")).isEqualTo("revoked");
            assertThat(revoked.text("wipe")).isEqualTo("pending");
            for (WsClient ws : List.of(lost, lost2)) {
                JsonNode frame = ws.awaitType("device.revoked");
                assertThat(frame.get("wipe").asBoolean()).isTrue();
                assertThat(ws.closeCode()).isEqualTo(4004);
            }
            assertThat(server.get("/api/v1/me", lostToken).code()).isEqualTo("device_revoked");
            assertThat(server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + lostCookie)).code())
                    .isEqualTo("device_revoked");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("revocation to closed connections and refused tokens, in ms").isLessThan(1000);
            // The user's other device is untouched.
            assertThat(kept.isClosed()).isFalse();
            assertThat(server.get("/api/v1/me", jiroPc.accessToken()).status()).isEqualTo(200);
        }
        // A new connection of the revoked device is told to wipe, too.
        try (WsClient again = WsClient.connect(server.gatewayUrl())) {
            assertThat(again.authenticate(lostToken).get("code").asText()).isEqualTo("device_revoked");
            assertThat(again.awaitType("device.revoked").get("wipe").asBoolean()).isTrue();
            assertThat(again.closeCode()).isEqualTo(4004);
        }
        // Signing in again with the revoked key is refused: the browser must make a new key and register anew.
        Response login = server.postAs(laptop, "/api/v1/auth/login", Map.of("loginId", "jiro.dev", "password", jiro.password()));
        Response refused = server.postAs(laptop, "/api/v1/auth/otp", Map.of("ticket", login.text("ticket"), "method", "totp",
                "code", server.nextTotpCode(jiro.totpSecret())));
        assertThat(refused.code()).isEqualTo("device_revoked");
        assertThat(server.post(devicePath(lostId, "approve"), null, admin().accessToken()).code()).isEqualTo("conflict");

        // The wipe is confirmed once, with a proof by the revoked key.
        String wipeUrl = server.baseUrl() + "/api/v1/devices/wipe-confirm";
        assertThat(server.call("POST", "/api/v1/devices/wipe-confirm", null, null, Map.of()).code()).isEqualTo("dpop_invalid");
        assertThat(server.call("POST", "/api/v1/devices/wipe-confirm", null, null,
                Map.of("DPoP", laptop.proof("POST", wipeUrl, null, null))).status()).isEqualTo(204);
        assertThat(server.call("POST", "/api/v1/devices/wipe-confirm", null, null,
                Map.of("DPoP", laptop.proof("POST", wipeUrl, null, null))).code()).isEqualTo("conflict");
        JsonNode seen = findDevice(server.get("/api/v1/orgs/" + org.id() + "/devices?userId=" + jiro.userId(), admin().accessToken()), lostId);
        assertThat(seen.get("wipe").asText()).isEqualTo("confirmed");
        assertThat(seen.get("wipeConfirmedAt").isNull()).isFalse();
        assertThat(seen.get("revokeReason").asText()).isEqualTo("電車内で紛失");
        assertThat(auditCount("device.revoked", lostId)).isEqualTo(1);
        assertThat(auditCount("device.wipe-confirmed", lostId)).isEqualTo(1);
    }

    private static SignedIn head() {
        headA = server.signIn("head.a", headA.password(), headA.totpSecret());
        return headA;
    }

    private static SignedIn admin() {
        admin = server.signIn("admin.dev", admin.password(), admin.totpSecret());
        return admin;
    }

    private static JsonNode findDevice(Response list, String id) {
        for (JsonNode d : list.body()) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("device " + id + " not in " + list.body());
    }

    @Test
    void aCopiedTokenIsWorthlessWithoutTheDeviceKey() {
        SignedIn saburo = staff("saburo.dev", null);
        String url = server.baseUrl() + "/api/v1/me";
        DeviceKey thief = DeviceKey.generate(server.clock());
        // No proof; a proof by another key; the token as a bearer token.
        Response none = server.call("GET", "/api/v1/me", null, null, Map.of("Authorization", "DPoP " + saburo.accessToken()));
        assertThat(none.code()).isEqualTo("dpop_invalid");
        assertThat(none.text("detail")).isEqualTo("missing");
        Response stolen = server.call("GET", "/api/v1/me", null, null, Map.of("Authorization", "DPoP " + saburo.accessToken(),
                "DPoP", thief.proof("GET", url, saburo.accessToken(), null)));
        assertThat(stolen.code()).isEqualTo("dpop_invalid");
        assertThat(stolen.text("detail")).isEqualTo("key");
        assertThat(server.call("GET", "/api/v1/me", null, null, Map.of("Authorization", "Bearer " + saburo.accessToken())).code())
                .isEqualTo("unauthenticated");
        // Over the gateway: the thief's proof over a real nonce.
        try (WsClient ws = WsClient.connect(server.gatewayUrl())) {
            JsonNode reply = ws.authenticate(saburo.accessToken(), thief.proof("GET", ws.url(), saburo.accessToken(), ws.nonce()));
            assertThat(reply.get("code").asText()).isEqualTo("dpop_invalid");
            assertThat(reply.get("detail").asText()).isEqualTo("key");
            assertThat(ws.closeCode()).isEqualTo(4001);
        }
        // The owner's key still works.
        assertThat(server.get("/api/v1/me", saburo.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void proofsThatNameAnotherRequestOrTimeOrComeTwiceAreRefused() {
        SignedIn shiro = staff("shiro.dev", null);
        DeviceKey key = shiro.device();
        String token = shiro.accessToken();
        String url = server.baseUrl() + "/api/v1/me";
        java.time.Instant now = server.clock().instant();
        // Each refusal names the rule it broke in its detail (DEVICES.md), and nothing of the proof.
        Map<String, java.util.List<String>> cases = Map.of(
                "wrong method", java.util.List.of(key.proof("POST", url, token, null), "htm"),
                "wrong URL", java.util.List.of(key.proof("GET", server.baseUrl() + "/api/v1/rooms", token, null), "htu"),
                "other host", java.util.List.of(key.proof("GET", "http://evil.example/api/v1/me", token, null), "htu"),
                "too old", java.util.List.of(key.proof("GET", url, token, null, UUID.randomUUID().toString(), now.minusSeconds(600)), "iat"),
                "from the future", java.util.List.of(key.proof("GET", url, token, null, UUID.randomUUID().toString(), now.plusSeconds(600)), "iat"),
                "another token", java.util.List.of(key.proof("GET", url, "eyJ.other.token", null), "ath"),
                "garbage", java.util.List.of("eyJhbGciOiJub25lIn0.e30.", "malformed"));
        cases.forEach((why, c) -> {
            Response refused = server.call("GET", "/api/v1/me", null, null, Map.of("Authorization", "DPoP " + token, "DPoP", c.get(0)));
            assertThat(refused.code()).as(why).isEqualTo("dpop_invalid");
            assertThat(refused.text("detail")).as(why).isEqualTo(c.get(1));
        });

        String once = key.proof("GET", url, token, null);
        Map<String, String> headers = Map.of("Authorization", "DPoP " + token, "DPoP", once);
        assertThat(server.call("GET", "/api/v1/me", null, null, headers).status()).isEqualTo(200);
        Response replayed = server.call("GET", "/api/v1/me", null, null, headers);
        assertThat(replayed.code()).as("replayed").isEqualTo("dpop_invalid");
        assertThat(replayed.text("detail")).isEqualTo("replay");
        assertThat(auditCount("auth.dpop.replayed", shiro.deviceId())).isEqualTo(1);

        // On the gateway a proof is good for one nonce: the next connection has another.
        String wsProof;
        try (WsClient ws = WsClient.connect(server.gatewayUrl())) {
            wsProof = key.proof("GET", ws.url(), token, ws.nonce());
            assertThat(ws.authenticate(token, wsProof).get("type").asText()).isEqualTo("session.ready");
        }
        try (WsClient ws = WsClient.connect(server.gatewayUrl())) {
            ws.nonce();
            JsonNode reply = ws.authenticate(token, wsProof);
            assertThat(reply.get("code").asText()).isEqualTo("dpop_invalid");
            assertThat(reply.get("detail").asText()).isEqualTo("nonce");
        }
    }

    @Test
    void reusingASpentRefreshTokenEndsTheDevicesSession() {
        SignedIn goro = staff("goro.dev", null);
        String first = goro.refreshCookie();
        Response rotated = server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + first));
        assertThat(rotated.status()).isEqualTo(200);
        String second = TestServer.refreshCookie(rotated);
        // A refresh without the key changes nothing.
        assertThat(server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + second,
                "DPoP", DeviceKey.generate(server.clock()).proof("POST", server.baseUrl() + "/api/v1/auth/refresh", null, null))).code())
                .isEqualTo("dpop_invalid");
        server.clock().advance(Duration.ofSeconds(10));
        // The spent token again (a copy, with the device's own key): the whole family ends.
        assertThat(server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + first)).code())
                .isEqualTo("refresh_invalid");
        assertThat(server.call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + second)).code())
                .isEqualTo("refresh_invalid");
        assertThat(server.get("/api/v1/me", rotated.text("accessToken")).code()).isEqualTo("unauthenticated");
    }

    @Test
    void badKeysAndNamesAreRefusedAndChangeNothing() throws Exception {
        SignedIn rokuro = staff("rokuro.dev", null);
        DeviceKey key = DeviceKey.generate(server.clock());
        String ticket = newBrowser(rokuro, "rokuro.dev", key).text("ticket");
        Map<String, Object> p384 = new ECKeyGenerator(Curve.P_384).generate().toPublicJWK().toJSONObject();
        Map<String, Object> withPrivate = new ECKeyGenerator(Curve.P_256).generate().toJSONObject();
        Map<String, Object> badPoint = new HashMap<>(key.publicJwk());
        badPoint.put("y", badPoint.get("x"));
        List<Object> badKeys = List.of(Map.of("kty", "EC"), Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB"), p384, withPrivate, badPoint,
                "not a key", Map.of("kty", "EC", "crv", "P-256", "x", "!!!", "y", "???"));
        for (Object bad : badKeys) {
            Response r = server.postAs(key, "/api/v1/auth/device", Map.of("ticket", ticket, "name", "PC", "publicKey", bad));
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
        }
        assertThat(register(key, ticket, "あ".repeat(65)).text("field")).isEqualTo("name");
        assertThat(register(key, ticket, "  ").text("field")).isEqualTo("name");
        assertThat(register(key, ticket, "PC\u0007").text("field")).isEqualTo("name");
        // The proof must be by the key being registered.
        DeviceKey other = DeviceKey.generate(server.clock());
        assertThat(server.postAs(other, "/api/v1/auth/device", Map.of("ticket", ticket, "name", "PC", "publicKey", key.publicJwk())).code())
                .isEqualTo("dpop_invalid");
        Response mine = server.get("/api/v1/me/devices", rokuro.accessToken());
        assertThat(mine.body()).hasSize(1);
        // The same ticket still registers a good key afterwards.
        assertThat(register(key, ticket, "庁舎PC 3F-12").text("next")).isEqualTo("device_pending");
    }

    @Test
    void onlyApproversOfTheDevicesUserDecide() {
        SignedIn inB = staff("nana.dev", deptB);
        DeviceKey key = DeviceKey.generate(server.clock());
        String deviceId = register(key, newBrowser(inB, "nana.dev", key).text("ticket"), "税務PC").body().get("device").get("id").asText();
        SignedIn plain = staff("hachi.dev", deptB);

        // Another organization's owner, through their own org or ours: refused, audited, nothing changed.
        assertThat(server.post("/api/v1/orgs/" + other.id() + "/devices/" + deviceId + "/approve", null, otherOwner().accessToken()).code())
                .isEqualTo("not_found");
        assertThat(server.post(devicePath(deviceId, "approve"), null, otherOwner().accessToken()).code()).isEqualTo("forbidden");
        // The head of another department, and plain staff.
        assertThat(server.post(devicePath(deviceId, "approve"), null, head().accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.post(devicePath(deviceId, "approve"), null, plain.accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.get("/api/v1/orgs/" + org.id() + "/devices", plain.accessToken()).code()).isEqualTo("forbidden");
        assertThat(server.get("/api/v1/orgs/" + org.id() + "/devices?departmentId=" + deptB, head().accessToken()).code())
                .isEqualTo("forbidden");
        assertThat(server.post(devicePath(deviceId, "revoke"), Map.of("reason", "x"), head().accessToken()).code()).isEqualTo("forbidden");
        assertThat(auditCount("device.action-denied", deviceId)).isGreaterThanOrEqualTo(5);
        assertThat(findDevice(server.get("/api/v1/orgs/" + org.id() + "/devices?status=pending", admin().accessToken()), deviceId)
                .get("status").asText()).isEqualTo("pending");

        // A reason is required to reject; the rejected browser is told, and its key is done for.
        assertThat(server.post(devicePath(deviceId, "reject"), Map.of("reason", ""), admin().accessToken()).code()).isEqualTo("invalid_field");
        Response rejected = server.post(devicePath(deviceId, "reject"), Map.of("reason", "私物端末のため"), admin().accessToken());
        assertThat(rejected.text("status")).isEqualTo("rejected");
        assertThat(rejected.text("decisionReason")).isEqualTo("私物端末のため");
        assertThat(server.post(devicePath(deviceId, "approve"), null, admin().accessToken()).code()).isEqualTo("conflict");
    }

    private static SignedIn otherOwner() {
        otherOwner = server.signIn("owner.next", "Fuji-Yama-202", other.owner().totpSecret());
        return otherOwner;
    }

    @Test
    void theOrgLimitsDevicesPerUser() {
        assertThat(server.patch("/api/v1/orgs/" + org.id(), Map.of("maxDevicesPerUser", 0), owner().accessToken()).code())
                .isEqualTo("invalid_field");
        assertThat(server.patch("/api/v1/orgs/" + org.id(), Map.of("maxDevicesPerUser", 2), owner().accessToken()).body()
                .get("maxDevicesPerUser").asInt()).isEqualTo(2);
        try {
            SignedIn kyu = staff("kyu.dev", null);
            DeviceKey second = DeviceKey.generate(server.clock());
            assertThat(register(second, newBrowser(kyu, "kyu.dev", second).text("ticket"), "2台目").text("next")).isEqualTo("device_pending");
            DeviceKey third = DeviceKey.generate(server.clock());
            assertThat(register(third, newBrowser(kyu, "kyu.dev", third).text("ticket"), "3台目").code()).isEqualTo("device_limit");
        } finally {
            server.patch("/api/v1/orgs/" + org.id(), Map.of("maxDevicesPerUser", 5), owner().accessToken());
        }
    }
}
