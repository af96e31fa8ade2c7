package jp.kairan.server.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jp.kairan.server.testing.DeviceKey;
import jp.kairan.server.testing.Eventually;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import jp.kairan.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An auditor's export of a room on real MariaDB: it round-trips (the JSON Lines hold exactly the room's messages,
 * with edits, deletion and readers), the CSV opens in Japanese Excel, the manifest's signature verifies with the
 * published key by an independent ES256 implementation, and one altered byte is named by the verifier.
 */
class ExportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static String orgId;
    private static SignedIn owner;
    private static SignedIn auditor;
    private static SignedIn hanako;
    private static SignedIn ichiro;
    private static String roomId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        SignedIn operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "庚市", "owner.x", "庚 所有者", "Sakura-Hana-909");
        orgId = org.id();
        owner = org.owner();
        auditor = server.createUser(owner, orgId, "audit.x", "監査 担当", List.of("auditor"), "Ume-Haru-909-Aoi");
        hanako = server.createUser(owner, orgId, "hanako.x", "山本 花子", List.of(), "Ume-Haru-909-Beni");
        ichiro = server.createUser(owner, orgId, "ichiro.x", "中村 一郎", List.of(), "Ume-Haru-909-Cha");
        Response room = server.post("/api/v1/rooms", Map.of("name", "防災係 \"連絡\" <b>", "memberIds", List.of(ichiro.userId())),
                hanako.accessToken());
        roomId = room.text("id");
        try (WsClient a = WsClient.signedIn(server.gatewayUrl(), hanako.accessToken())) {
            for (int i = 1; i <= 30; i++) {
                a.request(Map.of("type", "message.send", "id", UUID.randomUUID().toString(), "roomId", roomId,
                        "text", i == 7 ? "=SUM(A1:A9) のような式, \"引用\"\n改行あり" : "連絡 " + i));
            }
            JsonNode page = a.request(Map.of("type", "message.history", "id", a.nextId(), "roomId", roomId));
            String first = page.path("messages").get(0).path("id").asText();
            String second = page.path("messages").get(1).path("id").asText();
            a.request(Map.of("type", "message.edit", "id", a.nextId(), "roomId", roomId, "messageId", first, "text", "連絡 1（訂正）"));
            a.request(Map.of("type", "message.delete", "id", a.nextId(), "roomId", roomId, "messageId", second));
        }
        try (WsClient b = WsClient.signedIn(server.gatewayUrl(), ichiro.accessToken())) {
            b.request(Map.of("type", "receipt.read", "id", b.nextId(), "roomId", roomId, "seq", 20));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode awaitDone(String exportId) {
        return Eventually.within(Duration.ofSeconds(30)).every(Duration.ofMillis(100)).get("export " + exportId + " to finish",
                () -> server.get("/api/v1/orgs/" + orgId + "/exports/" + exportId, auditor.accessToken()).body(),
                job -> !List.of("queued", "running").contains(job.path("state").asText()));
    }

    private static byte[] download(String exportId) throws Exception {
        String path = "/api/v1/orgs/" + orgId + "/exports/" + exportId + "/download";
        String url = server.baseUrl() + path;
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + auditor.accessToken())
                .header("DPoP", DeviceKey.forToken(auditor.accessToken()).proof("GET", url, auditor.accessToken(), null)).GET().build();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        return r.body();
    }

    @Test
    void anAuditorExportsARoomAndItRoundTripsAndVerifies(@TempDir Path dir) throws Exception {
        auditor = server.signIn("audit.x", auditor.password(), auditor.totpSecret());
        Instant now = server.clock().instant();
        Map<String, Object> body = Map.of("scope", "room", "targetId", roomId, "from", now.minus(Duration.ofDays(1)).toString(),
                "to", now.plus(Duration.ofDays(1)).toString());
        owner = server.signIn("owner.x", owner.password(), owner.totpSecret());
        assertThat(server.post("/api/v1/orgs/" + orgId + "/exports", body, owner.accessToken()).code()).isEqualTo("forbidden");
        Response queued = server.post("/api/v1/orgs/" + orgId + "/exports", body, auditor.accessToken());
        assertThat(queued.status()).isEqualTo(201);
        JsonNode job = awaitDone(queued.text("id"));
        assertThat(job.path("state").asText()).isEqualTo("done");
        assertThat(job.path("messageCount").asLong()).isEqualTo(30);

        Path zip = dir.resolve("export.zip");
        Files.write(zip, download(queued.text("id")));
        ExportVerifier.Result ok = ExportVerifier.verify(zip, null);
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.files()).isEqualTo(3);

        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<JsonNode> lines = new String(read(z, "rooms/" + roomId + "/messages.jsonl"), StandardCharsets.UTF_8).lines()
                    .map(ExportIT::parse).toList();
            long inDb = server.server().database().call(tx -> tx.jdbc(c -> {
                try (var ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE room_id = ?")) {
                    ps.setLong(1, Long.parseLong(roomId));
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            }));
            assertThat(lines).hasSize((int) inDb);
            assertThat(lines).extracting(l -> l.path("seq").asLong()).isSorted();
            JsonNode first = lines.get(0);
            assertThat(first.path("text").asText()).isEqualTo("連絡 1（訂正）");
            assertThat(first.path("earlierVersions").get(0).path("text").asText()).isEqualTo("連絡 1");
            assertThat(first.path("senderName").asText()).isEqualTo("山本 花子");
            assertThat(first.path("readers").get(0).path("userId").asText()).isEqualTo(ichiro.userId());
            assertThat(lines.get(1).path("deleted").asBoolean()).isTrue();
            assertThat(lines.get(1).path("earlierVersions").get(0).path("text").asText()).isEqualTo("連絡 2");
            assertThat(lines.get(25).path("readers")).isEmpty();
            byte[] csv = read(z, "rooms/" + roomId + "/messages.csv");
            assertThat(csv[0] & 0xff).isEqualTo(0xEF);
            String csvText = new String(csv, StandardCharsets.UTF_8);
            assertThat(csvText).contains("\"'=SUM(A1:A9) のような式, \"\"引用\"\"\n改行あり\"").contains("\r\n");
            assertThat(new String(read(z, "rooms/" + roomId + "/transcript.html"), StandardCharsets.UTF_8))
                    .contains("&lt;b&gt;").doesNotContain("<b>");

            // The manifest's JWS, checked without Nimbus: the JDK's ES256 over the published key.
            String jws = new String(read(z, ExportVerifier.SIGNATURE), StandardCharsets.US_ASCII).strip();
            JsonNode jwks = JSON.readTree(server.get("/api/v1/auth/jwks", null).raw().body());
            assertThat(verifyEs256(jws, jwks)).isTrue();
            String[] parts = jws.split("\\.");
            assertThat(Base64.getUrlDecoder().decode(parts[1])).isEqualTo(read(z, ExportVerifier.MANIFEST));

            // And with the npm "jose" library the web client already depends on.
            Path jwsFile = dir.resolve("manifest.jws");
            Path manifestFile = dir.resolve("manifest.json");
            Path jwksFile = dir.resolve("jwks.json");
            Files.write(jwsFile, read(z, ExportVerifier.SIGNATURE));
            Files.write(manifestFile, read(z, ExportVerifier.MANIFEST));
            Files.writeString(jwksFile, server.get("/api/v1/auth/jwks", null).raw().body());
            Path jose = Path.of("..", "client-web", "node_modules", "jose").toAbsolutePath().normalize();
            assertThat(jose.resolve("package.json")).as("npm ci has run in client-web").exists();
            Path script = Path.of(ExportIT.class.getResource("/export/verify-manifest.mjs").toURI());
            Process node = new ProcessBuilder("node", script.toString(), jose.toString(), jwsFile.toString(), manifestFile.toString(),
                    jwksFile.toString()).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor()).as(output).isZero();
            assertThat(output).contains("verified kairan-export-manifest+jws");
        }

        // One altered byte in the CSV is named.
        Path altered = dir.resolve("altered.zip");
        rewrite(zip, altered, "rooms/" + roomId + "/messages.csv");
        ExportVerifier.Result bad = ExportVerifier.verify(altered, null);
        assertThat(bad.problems()).containsExactly("rooms/" + roomId + "/messages.csv: does not match its SHA-256 in the manifest (altered)");
        jp.kairan.server.cli.VerifyExportCommand cmd = new jp.kairan.server.cli.VerifyExportCommand();
        assertThat(new picocli.CommandLine(cmd).execute(altered.toString())).isOne();
        assertThat(new picocli.CommandLine(new jp.kairan.server.cli.VerifyExportCommand()).execute(zip.toString())).isZero();

        long audited = server.server().database().call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM audit_events WHERE target_id = ? AND action LIKE 'export.%'")) {
                ps.setString(1, queued.text("id"));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
        assertThat(audited).isEqualTo(3); // requested, completed, downloaded
    }

    @Test
    void onlyAuditorsOfTheOrganizationExportAndBadRequestsAreRefused() {
        auditor = server.signIn("audit.x", auditor.password(), auditor.totpSecret());
        Instant now = server.clock().instant();
        String path = "/api/v1/orgs/" + orgId + "/exports";
        assertThat(server.post(path, Map.of("scope", "room", "targetId", roomId, "from", now.toString(), "to", now.minusSeconds(1).toString()),
                auditor.accessToken()).code()).isEqualTo("invalid_field");
        assertThat(server.post(path, Map.of("scope", "galaxy", "from", now.minusSeconds(60).toString(), "to", now.toString()),
                auditor.accessToken()).code()).isEqualTo("invalid_field");
        assertThat(server.post(path, Map.of("scope", "room", "targetId", "123", "from", now.minusSeconds(60).toString(),
                "to", now.toString()), auditor.accessToken()).code()).isEqualTo("invalid_field");
        hanako = server.signIn("hanako.x", hanako.password(), hanako.totpSecret());
        assertThat(server.get(path, hanako.accessToken()).code()).isEqualTo("forbidden");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] read(ZipFile z, String name) throws java.io.IOException {
        try (InputStream in = z.getInputStream(z.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    private static void rewrite(Path from, Path to, String alter) throws Exception {
        try (ZipFile z = new ZipFile(from.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                byte[] b = read(z, e.getName());
                if (e.getName().equals(alter)) {
                    b[b.length - 3] ^= 1;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
    }

    /** ES256 per RFC 7515 with the JDK alone: JOSE r‖s to DER, P-256 public key from the JWK's x and y. */
    private static boolean verifyEs256(String jws, JsonNode jwks) throws Exception {
        String[] parts = jws.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode key = null;
        for (JsonNode k : jwks.path("keys")) {
            if (k.path("kid").asText().equals(header.path("kid").asText())) {
                key = k;
            }
        }
        assertThat(key).isNotNull();
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(key.path("x").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(key.path("y").asText())));
        PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
        byte[] raw = Base64.getUrlDecoder().decode(parts[2]);
        Signature sig = Signature.getInstance("SHA256withECDSA");
        sig.initVerify(pub);
        sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return sig.verify(der(raw));
    }

    private static byte[] der(byte[] rs) {
        byte[] r = integer(java.util.Arrays.copyOfRange(rs, 0, 32));
        byte[] s = integer(java.util.Arrays.copyOfRange(rs, 32, 64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(r.length + s.length);
        out.writeBytes(r);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] integer(byte[] v) {
        int i = 0;
        while (i < v.length - 1 && v[i] == 0) {
            i++;
        }
        boolean pad = (v[i] & 0x80) != 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x02);
        out.write(v.length - i + (pad ? 1 : 0));
        if (pad) {
            out.write(0);
        }
        out.write(v, i, v.length - i);
        return out.toByteArray();
    }
}
