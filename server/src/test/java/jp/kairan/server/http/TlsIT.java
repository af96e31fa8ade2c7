package jp.kairan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import jp.kairan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With http.tls-keystore the server speaks HTTPS, with HSTS on every response; with gateway.tls-cert and
 * gateway.tls-key (PEM) the gateway speaks wss://.
 */
class TlsIT {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithHsts() throws Exception {
        Path keystore = dir.resolve("kairan.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "kairan", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "test-pass", "-keypass", "test-pass")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();

        try (TestServer server = TestServer.start(Map.of("http.tls-keystore", keystore.toString(),
                "http.tls-keystore-password", "test-pass"))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                trust.load(in, "test-pass".toCharArray());
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("kairan", (X509Certificate) trust.getCertificate("kairan"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();

            String https = server.baseUrl().replace("http://", "https://");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));

            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(https + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"loginId\":\"operator\",\"password\":\"" + server.setupPassword() + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void gatewaySpeaksWssWithPemFiles() throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gw", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "test-pass", "-keypass", "test-pass")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "test-pass".toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("gw");
        java.security.Key key = ks.getKey("gw", "test-pass".toCharArray());
        java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path certFile = dir.resolve("gw.crt");
        Path keyFile = dir.resolve("gw.key");
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        try (TestServer server = TestServer.start(Map.of("gateway.tls-cert", certFile.toString(), "gateway.tls-key", keyFile.toString()))) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("gw", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            java.util.concurrent.LinkedBlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder().subprotocols("kairan.v1")
                    .buildAsync(URI.create(server.gatewayUrl().replace("ws://", "wss://")), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ws.getSubprotocol()).isEqualTo("kairan.v1");
            assertThat(frames.poll(10, java.util.concurrent.TimeUnit.SECONDS)).contains("\"type\":\"hello\"");
            ws.sendText("{\"type\":\"session.authenticate\",\"id\":\"a\",\"token\":\"not-a-token\",\"proof\":\"not-a-proof\"}", true).join();
            assertThat(frames.poll(10, java.util.concurrent.TimeUnit.SECONDS)).contains("\"code\":\"unauthenticated\"");
            ws.abort();
        }
    }
}
