package jp.kairan.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jp.kairan.protocol.Json;
import jp.kairan.server.KairanServer;
import jp.kairan.server.auth.AccountService;
import jp.kairan.server.auth.Base32;
import jp.kairan.server.auth.Totp;
import jp.kairan.server.config.ConfigLoader;
import jp.kairan.server.config.ServerConfig;

/**
 * The real server on a free port, on a fresh MariaDB database and a temporary data directory, with a small
 * HTTP client for tests. As Helidon's {@code @ServerTest} and OkHttp's {@code MockWebServer} do: real sockets,
 * nothing mocked. Close it after the test class.
 */
public final class TestServer implements AutoCloseable {
    public static final String OPERATOR_PASSWORD = "Kaiun-Sora-2026";

    private final TestDatabase database;
    private final Path dataDir;
    private final KairanServer server;
    private final MutableClock clock = new MutableClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.mapper();
    private final Totp totp = new Totp();
    /** The device each login ID signed in with last, reused by later sign-ins of that login. */
    private final Map<String, DeviceKey> keysByLogin = new java.util.concurrent.ConcurrentHashMap<>();

    private TestServer(Map<String, String> extra) {
        try {
            this.database = MariaDb.shared().createDatabase();
            this.dataDir = Files.createTempDirectory("kairan-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> cfg = new HashMap<>();
        cfg.put("data-dir", dataDir.toString());
        cfg.put("http.port", "0");
        cfg.put("gateway.port", "0");
        cfg.put("management.port", "0");
        cfg.put("database.jdbc-url", database.jdbcUrl());
        cfg.put("database.user", database.user());
        cfg.put("database.password", database.password());
        cfg.put("database.pool-size", "4");
        cfg.put("auth.argon2-memory-kib", "7168");
        cfg.put("auth.argon2-iterations", "5");
        cfg.put("auth.ip-attempts-per-minute", "100000");
        cfg.putAll(extra);
        ServerConfig config = ConfigLoader.load(Map.of(), Optional.empty(), cfg);
        this.server = KairanServer.start(config, clock);
    }

    /** Starts a server with the test defaults plus {@code config} overrides (config keys → values). */
    public static TestServer start(Map<String, String> config) {
        return new TestServer(config);
    }

    public static TestServer start() {
        return new TestServer(Map.of());
    }

    /** A server for end-to-end tests: fails at once when the web client was not built into it. */
    public static TestServer startWithWebClient() {
        if (TestServer.class.getClassLoader().getResource("webapp/index.html") == null) {
            throw new AssertionError("the web client must be built into the server (run without -Dkairan.skipWeb)");
        }
        return start();
    }

    public KairanServer server() {
        return server;
    }

    public MutableClock clock() {
        return clock;
    }

    public TestDatabase database() {
        return database;
    }

    /** The gateway's WebSocket URL. */
    public String gatewayUrl() {
        return "ws://127.0.0.1:" + server.gatewayPort() + "/ws";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** The management listener's URL ({@code /metrics}, health), e.g. {@code http://127.0.0.1:1234}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + server.managementPort();
    }

    /** A GET on the management listener (no sign-in there). */
    public HttpResponse<String> management(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(managementUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Prometheus text of {@code /metrics}, from the management listener. */
    public String metrics() {
        HttpResponse<String> r = management("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics on the management port answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The operator's one-time setup password from the data directory. */
    public String setupPassword() {
        try {
            return Files.readString(dataDir.resolve(AccountService.SETUP_PASSWORD_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A response: status, headers and the body parsed as JSON (null when empty or not JSON). */
    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String code() {
            return body == null || body.get("code") == null ? null : body.get("code").asText();
        }

        public String text(String field) {
            JsonNode n = body.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    /**
     * Sends a request; {@code body} may be a JSON string, an object to serialize, or null. An access token is sent
     * as {@code Authorization: DPoP} with a proof by the device it was issued to (when the harness knows it); a
     * refresh cookie of a known device gets a proof too. {@code headers} are set last and win.
     */
    public Response call(String method, String path, Object body, String accessToken, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path));
            String text = body == null ? null : body instanceof String s ? s : json.writeValueAsString(body);
            if (text != null) {
                b.header("Content-Type", "application/json");
            }
            String url = baseUrl() + path;
            DeviceKey key = DeviceKey.forToken(accessToken);
            if (accessToken != null) {
                b.setHeader("Authorization", "DPoP " + accessToken);
                if (key != null) {
                    b.setHeader("DPoP", key.proof(method, url, accessToken, null));
                }
            } else {
                key = DeviceKey.forToken(refreshCookieIn(headers.get("Cookie")));
                if (key != null) {
                    b.setHeader("DPoP", key.proof(method, url, null, null));
                }
            }
            headers.forEach(b::setHeader);
            b.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode parsed = null;
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (!r.body().isEmpty() && ct.startsWith("application/json")) {
                parsed = json.readTree(r.body());
            }
            Response response = new Response(r.statusCode(), parsed, r);
            if (key != null) {
                key.bind(refreshCookie(response));
                if (parsed != null && parsed.path("accessToken").isTextual()) {
                    key.bind(parsed.path("accessToken").asText());
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A sign-in step posted by a device: with a DPoP proof by {@code key}. */
    public Response postAs(DeviceKey key, String path, Object body) {
        Response r = call("POST", path, body, null, Map.of("DPoP", key.proof("POST", baseUrl() + path, null, null)));
        key.bind(refreshCookie(r));
        if (r.body() != null && r.body().path("session").path("accessToken").isTextual()) {
            key.bind(r.body().path("session").path("accessToken").asText());
        }
        return r;
    }

    /** The refresh cookie a response sets, or null. */
    public static String refreshCookie(Response r) {
        return r.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("kairan_refresh=") && !c.startsWith("kairan_refresh=;"))
                .findFirst().map(c -> c.substring("kairan_refresh=".length(), c.indexOf(';'))).orElse(null);
    }

    private static String refreshCookieIn(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.strip();
            if (p.startsWith("kairan_refresh=")) {
                return p.substring("kairan_refresh=".length());
            }
        }
        return null;
    }

    public Response post(String path, Object body, String token) {
        return call("POST", path, body, token, Map.of());
    }

    public Response get(String path, String token) {
        return call("GET", path, null, token, Map.of());
    }

    public Response patch(String path, Object body, String token) {
        return call("PATCH", path, body, token, Map.of());
    }

    /** A signed-in user as a test holds it. */
    public record SignedIn(String userId, String accessToken, String refreshCookie, byte[] totpSecret, String password,
                           String deviceId, DeviceKey device) {
    }

    /** The current TOTP code of a secret at the server's clock. */
    public String totpCode(byte[] secret) {
        return totp.generate(secret, totp.step(clock.instant()));
    }

    /** A code for the next time step (to sign in twice within one 30 s window without replay). */
    public String nextTotpCode(byte[] secret) {
        clock.advance(java.time.Duration.ofSeconds(30));
        return totpCode(secret);
    }

    /**
     * First sign-in with an initial password, on a new device: password → (otp skipped: no factor yet) → password
     * change → TOTP enrolment → device registration → approval by an owner or admin of the user's organization
     * (automatic for the operator and an organization's first owner) → done.
     */
    public SignedIn firstSignIn(String loginId, String initialPassword, String newPassword) {
        DeviceKey key = DeviceKey.generate(clock);
        Response step = postAs(key, "/api/v1/auth/login", Map.of("loginId", loginId, "password", initialPassword));
        expect(step, 200, "password_change");
        String ticket = step.text("ticket");
        step = postAs(key, "/api/v1/auth/password", Map.of("ticket", ticket, "newPassword", newPassword));
        expect(step, 200, "totp_enrol");
        Response enrol = post("/api/v1/auth/totp/enrol", Map.of("ticket", ticket), null);
        if (enrol.status() != 200) {
            throw new AssertionError("enrol failed: " + enrol.raw().body());
        }
        byte[] secret = Base32.decode(enrol.text("secret"));
        step = postAs(key, "/api/v1/auth/totp/confirm", Map.of("ticket", ticket, "code", totpCode(secret)));
        return onDevice(loginId, step, key, secret, newPassword);
    }

    /** Regular sign-in with password and TOTP (moves the clock one step so the code is fresh), on the login's device. */
    public SignedIn signIn(String loginId, String password, byte[] secret) {
        DeviceKey key = keysByLogin.computeIfAbsent(loginId, id -> DeviceKey.generate(clock));
        Response step = postAs(key, "/api/v1/auth/login", Map.of("loginId", loginId, "password", password));
        expect(step, 200, "otp");
        step = postAs(key, "/api/v1/auth/otp", Map.of("ticket", step.text("ticket"), "method", "totp", "code", nextTotpCode(secret)));
        return onDevice(loginId, step, key, secret, password);
    }

    /** Finishes a sign-in that reached its device: registers it if new, has it approved if pending. */
    private SignedIn onDevice(String loginId, Response step, DeviceKey key, byte[] secret, String password) {
        if (step.status() == 200 && "device_register".equals(step.text("next"))) {
            step = postAs(key, "/api/v1/auth/device", Map.of("ticket", step.text("ticket"), "name", "試験端末 " + loginId,
                    "publicKey", key.publicJwk()));
        }
        if (step.status() == 200 && "device_pending".equals(step.text("next"))) {
            JsonNode device = step.body().get("device");
            approve(device.get("userId").asText(), device.get("id").asText());
            step = postAs(key, "/api/v1/auth/device/wait", Map.of("ticket", step.text("ticket")));
        }
        expect(step, 200, "done");
        keysByLogin.put(loginId, key);
        SignedIn s = signedIn(step, secret, password, key);
        return s;
    }

    /** A fresh access token for a signed-in user, through the refresh cookie and a proof by their device. */
    public SignedIn refresh(SignedIn s) {
        Response r = call("POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kairan_refresh=" + s.refreshCookie()));
        if (r.status() != 200) {
            throw new AssertionError("refresh failed: " + r.status() + " " + r.raw().body());
        }
        String token = r.text("accessToken");
        return new SignedIn(s.userId(), token, refreshCookie(r), s.totpSecret(), s.password(), s.deviceId(), s.device().bind(token));
    }

    /**
     * Approves a pending device during set-up, as an owner of its user's organization, through the device service
     * (the approval API itself is tested in DeviceIT; set-up must not depend on some owner's token being fresh).
     */
    public void approve(String userId, String deviceId) {
        var db = server.database();
        jp.kairan.server.access.Principal owner = db.call(tx -> {
            long orgId = server.orgs().users().findById(tx, Long.parseLong(userId)).orElseThrow().orgId();
            long ownerId = tx.jdbc(c -> {
                try (var ps = c.prepareStatement("SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id "
                        + "WHERE u.org_id = ? AND r.role = 'OWNER' ORDER BY u.id LIMIT 1")) {
                    ps.setLong(1, orgId);
                    try (var rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new AssertionError("org " + orgId + " has no owner to approve device " + deviceId);
                        }
                        return rs.getLong(1);
                    }
                }
            });
            return server.orgs().users().findById(tx, ownerId).orElseThrow().principal();
        });
        server.auth().devices().approve(owner, owner.orgId(), Long.parseLong(deviceId), new jp.kairan.server.audit.Origin("test", null), null);
    }

    /** An organization created by the operator, with its first owner through first sign-in. */
    public record Org(String id, SignedIn owner) {
    }

    /** The operator creates an organization; its owner signs in the first time with {@code ownerPassword}. */
    public Org createOrg(SignedIn operator, String name, String ownerLoginId, String ownerName, String ownerPassword) {
        Response org = post("/api/v1/orgs", Map.of("name", name, "owner", Map.of("loginId", ownerLoginId, "displayName", ownerName)),
                operator.accessToken());
        if (org.status() != 201) {
            throw new AssertionError("org not created: " + org.raw().body());
        }
        return new Org(org.body().get("org").get("id").asText(),
                firstSignIn(ownerLoginId, org.text("initialPassword"), ownerPassword));
    }

    /** An owner or admin creates a user with these org roles; the user signs in the first time with {@code password}. */
    public SignedIn createUser(SignedIn admin, String orgId, String loginId, String displayName, java.util.List<String> roles,
                               String password) {
        Response user = post("/api/v1/orgs/" + orgId + "/users", Map.of("loginId", loginId, "displayName", displayName,
                "roles", roles), admin.accessToken());
        if (user.status() != 201) {
            throw new AssertionError("user not created: " + user.raw().body());
        }
        return firstSignIn(loginId, user.text("initialPassword"), password);
    }

    /** Signs the operator in for the first time (setup password → new password → TOTP). */
    public SignedIn operator() {
        return firstSignIn("operator", setupPassword(), OPERATOR_PASSWORD);
    }

    private static SignedIn signedIn(Response step, byte[] secret, String password, DeviceKey key) {
        JsonNode session = step.body().get("session");
        String token = session.get("accessToken").asText();
        String deviceId;
        try {
            deviceId = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("did");
        } catch (java.text.ParseException e) {
            throw new AssertionError("unreadable access token", e);
        }
        return new SignedIn(session.get("user").get("id").asText(), token, refreshCookie(step), secret, password, deviceId,
                key.bind(token));
    }

    private static void expect(Response r, int status, String next) {
        if (r.status() != status || r.body() == null || !next.equals(r.text("next"))) {
            throw new AssertionError("expected " + status + " next=" + next + " but got " + r.status() + " " + r.raw().body());
        }
    }

    @Override
    public void close() {
        server.close();
        database.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory; nothing to keep
        }
    }
}
