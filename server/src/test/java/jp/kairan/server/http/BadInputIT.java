package jp.kairan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad requests get a stable JSON error with the right status, never a stack trace, and the server stays healthy. */
class BadInputIT {
    private static TestServer server;
    private static SignedIn operator;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        operator = server.operator();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(Response r, int status, String code) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.text("message")).isNotBlank();
        assertThat(r.text("messageJa")).isNotBlank();
        assertThat(r.text("requestId")).isEqualTo(r.header("X-Request-Id"));
        assertThat(r.raw().body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("jp.kairan");
    }

    @Test
    void malformedJson() {
        assertError(server.post("/api/v1/auth/login", "{\"loginId\": ", null), 400, "invalid_json");
        assertError(server.post("/api/v1/auth/login", "[1,2,3]", null), 400, "invalid_json");
        assertError(server.post("/api/v1/auth/login", "{\"loginId\":\"a\"} trailing", null), 400, "invalid_json");
        assertError(server.post("/api/v1/auth/login", "null", null), 400, "invalid_json");
    }

    @Test
    void wrongFieldTypes_andMissingFields() {
        assertError(server.post("/api/v1/orgs", "{\"name\":\"x\",\"owner\":[1]}", operator.accessToken()), 400, "invalid_field");
        Response missingOwner = server.post("/api/v1/orgs", Map.of("name", "町"), operator.accessToken());
        assertError(missingOwner, 400, "invalid_field");
        assertThat(missingOwner.text("field")).isEqualTo("owner");
        Response noName = server.post("/api/v1/orgs", Map.of("owner", Map.of("loginId", "ab.cd", "displayName", "x")), operator.accessToken());
        assertThat(noName.text("field")).isEqualTo("name");
        Response badLogin = server.post("/api/v1/orgs", Map.of("name", "町", "owner", Map.of("loginId", "x", "displayName", "x")),
                operator.accessToken());
        assertThat(badLogin.text("field")).isEqualTo("loginId");
        assertError(server.post("/api/v1/auth/login", "{}", null), 401, "invalid_credentials");
        assertError(server.post("/api/v1/auth/login", "", null), 400, "invalid_json");
    }

    /** Issue #16: names refuse bidi controls, zero-width characters and unpaired surrogates, naming the field. */
    @Test
    void namesWithBidiZeroWidthOrLoneSurrogatesAreRefusedNamingTheField() {
        // JSON escapes, so the lone surrogate reaches the server as the parser reads it.
        Response orgName = server.post("/api/v1/orgs", "{\"name\":\"invoice\\u202Egpj.exe\",\"owner\":{\"loginId\":\"bidi.owner\","
                + "\"displayName\":\"所有者\"}}", operator.accessToken());
        assertError(orgName, 400, "invalid_field");
        assertThat(orgName.text("field")).isEqualTo("name");
        Response ownerName = server.post("/api/v1/orgs", "{\"name\":\"双方向市\",\"owner\":{\"loginId\":\"bidi.owner\","
                + "\"displayName\":\"佐\\u200B藤\"}}", operator.accessToken());
        assertError(ownerName, 400, "invalid_field");
        assertThat(ownerName.text("field")).isEqualTo("displayName");

        TestServer.Org org = server.createOrg(operator, "双方向市", "bidi.owner", "所有者", "Sakura-Hana-161");
        String token = org.owner().accessToken();
        Response dept = server.post("/api/v1/orgs/" + org.id() + "/departments", "{\"name\":\"\\u2067防災課\"}", token);
        assertError(dept, 400, "invalid_field");
        assertThat(dept.text("field")).isEqualTo("name");
        Response lone = server.post("/api/v1/rooms", "{\"name\":\"会議\\ud800\",\"memberIds\":[]}", token);
        assertError(lone, 400, "invalid_field");
        assertThat(lone.text("field")).isEqualTo("name");
        Response bidiRoom = server.post("/api/v1/rooms", "{\"name\":\"\\u202E議会\",\"memberIds\":[]}", token);
        assertError(bidiRoom, 400, "invalid_field");
        assertThat(bidiRoom.text("field")).isEqualTo("name");
        // What emoji need stays: a ZWJ between two emoji.
        assertThat(server.post("/api/v1/rooms", Map.of("name", "👨\u200D👩\u200D👧 の会", "memberIds", java.util.List.of()), token)
                .status()).isEqualTo(201);
    }

    @Test
    void oversizedBodies_declaredOrStreamed() throws Exception {
        String big = "{\"loginId\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}";
        assertError(server.post("/api/v1/auth/login", big, null), 413, "body_too_large");
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("body_too_large");
    }

    @Test
    void wrongContentType() {
        Response r = server.call("POST", "/api/v1/auth/login", null, null, Map.of());
        assertError(r, 400, "invalid_json");
        HttpRequest form = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/auth/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("loginId=a&password=b")).build();
        try {
            HttpResponse<String> resp = HttpClient.newHttpClient().send(form, HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(415);
            assertThat(resp.body()).contains("unsupported_media_type");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownRoutesAndMethods() {
        assertError(server.get("/api/v1/nothing-here", null), 404, "not_found");
        assertError(server.call("DELETE", "/api/v1/auth/login", null, null, Map.of()), 405, "method_not_allowed");
        assertError(server.get("/api/v1/orgs/not-a-number", operator.accessToken()), 404, "not_found");
        assertError(server.get("/api/v1/orgs/1?orgId=2", server.signIn("operator", TestServer.OPERATOR_PASSWORD,
                operator.totpSecret()).accessToken()), 404, "not_found");
    }

    @Test
    void missingOrForeignTokens() {
        assertError(server.get("/api/v1/me", null), 401, "unauthenticated");
        assertError(server.get("/api/v1/me", "garbage"), 401, "unauthenticated");
        String forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
        assertError(server.get("/api/v1/me", forged), 401, "unauthenticated");
        assertError(server.call("GET", "/api/v1/me", null, null, Map.of("Authorization", "Basic b3A6cGFzcw==")), 401, "unauthenticated");
    }

    @Test
    void securityHeaders_onApiAndPages() {
        Response api = server.get("/api/v1/me", null);
        assertThat(api.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(api.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(api.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(api.header("Cache-Control")).isEqualTo("no-store");
        Response page = server.get("/", null);
        assertThat(page.header("Content-Security-Policy")).isEqualTo(api.header("Content-Security-Policy"));
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(api.header("Strict-Transport-Security")).isNull();
    }

    @Test
    void healthOnTheApplicationPortAndMetricsOnlyOnTheManagementPort() {
        assertThat(server.get("/health/live", null).status()).isEqualTo(200);
        assertThat(server.get("/health/ready", null).text("status")).isEqualTo("up");
        server.post("/api/v1/auth/login", Map.of("loginId", "nobody.x", "password", "wrong-password"), null);

        // issue #16: the application's port (what the proxy and the Internet reach) does not answer /metrics.
        for (String path : new String[] {"/metrics", "/metrics/", "/metrics?name=jvm"}) {
            Response onTheApp = server.get(path, null);
            assertError(onTheApp, 404, "not_found");
            assertThat(onTheApp.raw().body()).as(path).doesNotContain("kairan_logins_total");
        }

        HttpResponse<String> metrics = server.management("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("kairan_logins_total").contains("hikaricp_connections_active")
                .contains("jvm_memory_used_bytes").contains("kairan_http_requests_seconds_count");
        assertThat(server.management("/health/ready").statusCode()).isEqualTo(200);
        assertThat(server.management("/health/live").body()).contains("up");
        // The management port serves nothing else: no API, no JWKS, no web client.
        assertThat(server.management("/api/v1/auth/jwks").statusCode()).isEqualTo(404);
        assertThat(server.management("/.well-known/jwks.json").statusCode()).isEqualTo(404);
        assertThat(server.management("/").statusCode()).isEqualTo(404);
        assertThat(server.server().managementPort()).isNotEqualTo(server.server().httpPort());
    }
}
