package jp.kairan.server.http;

import jp.kairan.protocol.api.ClientConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.auth.AuthServices;
import jp.kairan.server.config.HttpConfig;
import jp.kairan.server.error.KairanException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face (Undertow): the JSON API under {@code /api/v1}, the JWKS, health, and the web client; metrics and
 * health again on a separate management listener when {@code management.port} is set (never {@code /metrics} here).
 * Blocking API work runs on Undertow's worker threads, never on its I/O threads. Security headers go on every
 * response. Owns its Undertow instance; {@link #start()} once, {@link #stop()} once.
 */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** IMF-fixdate (RFC 9110 §5.6.7). */
    private static final java.time.format.DateTimeFormatter HTTP_DATE =
            java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH);

    private final HttpConfig config;
    private final Undertow undertow;
    private int port;
    private int managementPort = -1;

    public HttpServer(HttpConfig config, ObjectMapper json, HttpFeatures features, ClientConfig clientConfig,
                      PrometheusMeterRegistry metrics, Clock clock) {
        this.config = config;
        AuthServices auth = features.auth();
        ApiRouter api = new ApiRouter(json, auth.sessions(), metrics, config.maxBodyBytes(), config.trustForwardedFor(),
                config.secureTransport());
        new AuthEndpoints(auth, config.secureTransport(), clock).register(api);
        new DeviceEndpoints(auth).register(api);
        new OrgEndpoints(features.orgs(), features.departments(), auth.accounts()).register(api);
        new RoomEndpoints(features.orgs(), features.rooms(), features.messages(), features.presence(), clientConfig)
                .register(api);
        new PolicyEndpoints(features.orgs(), features.policies()).register(api);
        new AuditEndpoints(features.auditLog(), clock).register(api);
        new RetentionEndpoints(features.retention()).register(api);
        new ExportEndpoints(features.exports()).register(api);
        new SearchEndpoints(features.search()).register(api);
        api.get("/api/v1/auth/jwks", req -> new ApiRouter.RawResponse("application/jwk-set+json", auth.tokens().jwksJson()));

        ApiRouter ops = new ApiRouter(json, auth.sessions(), null, config.maxBodyBytes(), config.trustForwardedFor(),
                config.secureTransport());
        health(ops, features);
        ops.get("/.well-known/jwks.json", req -> new ApiRouter.RawResponse("application/jwk-set+json", auth.tokens().jwksJson()));

        HttpHandler apiHandler = api.handler();
        HttpHandler opsHandler = ops.handler();
        HttpHandler web = StaticFiles.present() ? StaticFiles.handler(opsHandler) : opsHandler;
        HttpHandler paths = exchange -> {
            String path = exchange.getRequestPath();
            if (path.startsWith("/api/")) {
                apiHandler.handleRequest(exchange);
            } else if (path.startsWith("/health/") || path.startsWith("/metrics") || path.startsWith("/.well-known/")) {
                // /metrics is served only on the management listener; here it is not_found, never the web client.
                opsHandler.handleRequest(exchange);
            } else {
                web.handleRequest(exchange);
            }
        };
        HttpHandler secured = new SecurityHeaders(paths, config.secureTransport(), clientConfig.gatewayUrl(),
                clientConfig.gatewayTls(), clientConfig.gatewayPort());
        // Clients date their device proofs by this header (DEVICES.md): it must come from the clock that checks
        // them. Undertow's own Date header is off; it reads the system clock through a process-wide cache.
        HttpHandler root = exchange -> {
            exchange.getResponseHeaders().put(io.undertow.util.Headers.DATE,
                    HTTP_DATE.format(clock.instant().atZone(java.time.ZoneOffset.UTC)));
            secured.handleRequest(exchange);
        };

        Undertow.Builder b = Undertow.builder()
                // ApiRequest enforces max-body-bytes with a clean 413; this is only the hard stop for runaway uploads.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Math.max(4L * config.maxBodyBytes(), 1L << 20))
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, true)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setHandler(root);
        if (config.tlsKeystore().isPresent()) {
            b.addHttpsListener(config.port(), config.host(), sslContext(config));
        } else {
            b.addHttpListener(config.port(), config.host());
        }
        if (config.managementPort().isPresent()) {
            // The management listener: metrics and health without sign-in, for the monitoring network only
            // (management.host, loopback by default). Same workers, its own routes; never the API or the web client.
            ApiRouter management = new ApiRouter(json, auth.sessions(), null, config.maxBodyBytes(), false, false);
            health(management, features);
            management.get("/metrics", req -> new ApiRouter.RawResponse("text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            b.addListener(new Undertow.ListenerBuilder().setType(Undertow.ListenerType.HTTP)
                    .setHost(config.managementHost()).setPort(config.managementPort().getAsInt())
                    .setRootHandler(new SecurityHeaders(management.handler(), false, clientConfig.gatewayUrl(),
                            clientConfig.gatewayTls(), clientConfig.gatewayPort())));
        }
        this.undertow = b.build();
    }

    /** {@code /health/live} and {@code /health/ready}, on the application's listener and the management one. */
    private static void health(ApiRouter router, HttpFeatures features) {
        router.get("/health/live", req -> Map.of("status", "up"));
        router.get("/health/ready", req -> {
            if (!features.databaseReady().getAsBoolean()) {
                throw new KairanException(ErrorCode.DATABASE_UNAVAILABLE, "database not reachable");
            }
            return Map.of("status", "up");
        });
    }

    private static SSLContext sslContext(HttpConfig config) {
        try (InputStream in = Files.newInputStream(config.tlsKeystore().orElseThrow())) {
            char[] password = config.tlsKeystorePassword().toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the TLS keystore " + config.tlsKeystore().orElseThrow() + ": " + e.getMessage(), e);
        }
    }

    public void start() {
        undertow.start();
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        log.info("HTTP listening on {}://{}:{} (web client {})", config.tlsKeystore().isPresent() ? "https" : "http",
                config.host(), port, StaticFiles.present() ? "included" : "not built");
        if (config.managementPort().isPresent()) {
            managementPort = ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort();
            log.info("Management (metrics, health) listening on http://{}:{}", config.managementHost(), managementPort);
        } else {
            log.info("No management listener (management.port not set): /metrics is not served");
        }
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return port;
    }

    /** The management listener's bound port, or -1 without one. */
    public int managementPort() {
        return managementPort;
    }

    public void stop() {
        undertow.stop();
    }
}
