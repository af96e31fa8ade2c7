package jp.kairan.server.config;

import static jp.kairan.server.config.ConfigKey.Tier.COMMON;
import static jp.kairan.server.config.ConfigKey.Tier.ESSENTIALS;
import static jp.kairan.server.config.ConfigKey.Tier.RARE;

import java.util.List;

/** The complete list of configuration keys. Adding a key here without documenting it fails a test. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final ConfigKey DATA_DIR = new ConfigKey("data-dir", "path", "./data", ESSENTIALS,
            "Directory for the embedded H2 database, the first-start operator password file and other local state.");
    public static final ConfigKey HTTP_HOST = new ConfigKey("http.host", "string", "127.0.0.1", ESSENTIALS,
            "Address the HTTP server (API, web client, health, JWKS) binds to. Use 0.0.0.0 to listen on all interfaces.");
    public static final ConfigKey HTTP_PORT = new ConfigKey("http.port", "int", "8080", ESSENTIALS,
            "HTTP port. 0 picks a free port (tests).");
    public static final ConfigKey DB_URL = new ConfigKey("database.jdbc-url", "string",
            "jdbc:h2:file:<data-dir>/db/kairan", ESSENTIALS,
            "JDBC URL. Production: jdbc:mariadb://host:3306/kairan (MariaDB 10.6+, database created with utf8mb4). "
                    + "The default is an embedded H2 database in the data directory.");
    public static final ConfigKey DB_USER = new ConfigKey("database.user", "string", "kairan", ESSENTIALS,
            "Database user.");
    public static final ConfigKey DB_PASSWORD = new ConfigKey("database.password", "secret", "(empty)", ESSENTIALS,
            "Database password.");

    public static final ConfigKey DB_POOL_SIZE = new ConfigKey("database.pool-size", "int", "8", COMMON,
            "Connections in the HikariCP pool; the database executor has the same number of threads.");
    public static final ConfigKey DB_QUEUE = new ConfigKey("database.queue-capacity", "int", "2000", RARE,
            "Database tasks that may wait for a thread; beyond it requests fail fast with server_busy.");
    public static final ConfigKey HTTP_MAX_BODY = new ConfigKey("http.max-body-bytes", "int", "65536", COMMON,
            "Largest accepted request body; larger ones get 413 body_too_large.");
    public static final ConfigKey HTTP_TLS_KEYSTORE = new ConfigKey("http.tls-keystore", "path", null, COMMON,
            "PKCS#12 keystore with the server certificate and key. When set, HTTP serves TLS only, with HSTS. "
                    + "When absent, plain HTTP (put a TLS reverse proxy in front).");
    public static final ConfigKey HTTP_TLS_PASSWORD = new ConfigKey("http.tls-keystore-password", "secret", null, COMMON,
            "Password of the PKCS#12 keystore.");
    public static final ConfigKey HTTP_BEHIND_TLS_PROXY = new ConfigKey("http.behind-tls-proxy", "boolean", "false", COMMON,
            "Set when a TLS reverse proxy terminates HTTPS: sends HSTS and marks cookies Secure.");
    public static final ConfigKey HTTP_TRUST_FORWARDED = new ConfigKey("http.trust-forwarded-for", "boolean", "false", RARE,
            "Take the client address from X-Forwarded-For (only behind a proxy that sets it).");
    public static final ConfigKey MANAGEMENT_PORT = new ConfigKey("management.port", "int", null, COMMON,
            "Port of the management listener (plain HTTP): /metrics (Prometheus text, no sign-in) and /health/live, "
                    + "/health/ready. When absent, /metrics is served nowhere; it is never served on http.port. 0 picks "
                    + "a free port (tests).");
    public static final ConfigKey MANAGEMENT_HOST = new ConfigKey("management.host", "string", "127.0.0.1", COMMON,
            "Address the management listener binds to: loopback, or an address only the monitoring network reaches.");

    public static final ConfigKey AUTH_ISSUER = new ConfigKey("auth.issuer", "string", "Kairan", COMMON,
            "Name shown in authenticator apps and the iss claim of tokens.");
    public static final ConfigKey AUTH_ACCESS_TTL = new ConfigKey("auth.access-token-ttl", "duration", "5m", COMMON,
            "Lifetime of access tokens.");
    public static final ConfigKey AUTH_REFRESH_TTL = new ConfigKey("auth.refresh-token-ttl", "duration", "12h", COMMON,
            "Lifetime of a sign-in session (the refresh-token family), counted from sign-in.");
    public static final ConfigKey AUTH_ARGON_MEMORY = new ConfigKey("auth.argon2-memory-kib", "int", "19456", RARE,
            "Argon2id memory cost in KiB. Must be at least OWASP's minimum for the chosen iterations.");
    public static final ConfigKey AUTH_ARGON_ITERATIONS = new ConfigKey("auth.argon2-iterations", "int", "2", RARE,
            "Argon2id iterations.");
    public static final ConfigKey AUTH_ARGON_PARALLELISM = new ConfigKey("auth.argon2-parallelism", "int", "1", RARE,
            "Argon2id lanes.");
    public static final ConfigKey AUTH_LOCKOUT_THRESHOLD = new ConfigKey("auth.lockout-threshold", "int", "5", COMMON,
            "Consecutive failed sign-ins (password or one-time password) that lock an account.");
    public static final ConfigKey AUTH_LOCKOUT_DURATION = new ConfigKey("auth.lockout-duration", "duration", "15m", COMMON,
            "How long a locked account stays locked (an admin can unlock it sooner).");
    public static final ConfigKey AUTH_IP_RATE = new ConfigKey("auth.ip-attempts-per-minute", "int", "120", RARE,
            "Sign-in attempts accepted per client address per minute; more get 429 rate_limited.");
    public static final ConfigKey AUTH_PASSWORD_MIN = new ConfigKey("auth.password-min-length", "int", "10", COMMON,
            "Minimum length of a new password.");
    public static final ConfigKey AUTH_DEVICE_PENDING_TTL = new ConfigKey("auth.device-pending-ttl", "duration", "24h", COMMON,
            "How long a sign-in waits for its new device to be approved; after that the user signs in again.");

    public static final ConfigKey MAIL_HOST = new ConfigKey("mail.host", "string", null, COMMON,
            "SMTP server for one-time passwords by e-mail. When absent, e-mail codes are unavailable.");
    public static final ConfigKey MAIL_PORT = new ConfigKey("mail.port", "int", "587", COMMON, "SMTP port.");
    public static final ConfigKey MAIL_SECURITY = new ConfigKey("mail.security", "string", "starttls", COMMON,
            "none, starttls (required STARTTLS) or tls (implicit TLS, usually port 465).");
    public static final ConfigKey MAIL_USER = new ConfigKey("mail.username", "string", null, COMMON,
            "SMTP user; when absent, no SMTP authentication.");
    public static final ConfigKey MAIL_PASSWORD = new ConfigKey("mail.password", "secret", null, COMMON, "SMTP password.");
    public static final ConfigKey MAIL_FROM = new ConfigKey("mail.from", "string", "kairan@localhost", COMMON,
            "From address of mails the server sends.");
    public static final ConfigKey MAIL_TIMEOUT = new ConfigKey("mail.timeout", "duration", "10s", RARE,
            "Connect and read timeout towards the SMTP server.");

    public static final ConfigKey GATEWAY_HOST = new ConfigKey("gateway.host", "string", "127.0.0.1", ESSENTIALS,
            "Address the WebSocket gateway binds to. Use 0.0.0.0 to listen on all interfaces.");
    public static final ConfigKey GATEWAY_PORT = new ConfigKey("gateway.port", "int", "8081", ESSENTIALS,
            "WebSocket gateway port (path /ws). 0 picks a free port (tests).");
    public static final ConfigKey GATEWAY_PUBLIC_URL = new ConfigKey("gateway.public-url", "string", null, COMMON,
            "The WebSocket URL browsers use, when a reverse proxy serves the gateway elsewhere, e.g. "
                    + "wss://chat.city.example.lg.jp/ws. When absent, clients use the page's host with gateway.port.");
    public static final ConfigKey GATEWAY_ORIGINS = new ConfigKey("gateway.allowed-origins", "list", null, COMMON,
            "Comma-separated browser origins allowed to open WebSocket connections, e.g. https://chat.city.example.lg.jp. "
                    + "When absent, an origin is allowed when its host is the host the browser connected to. "
                    + "Connections without an Origin header (non-browser tools) are allowed; they still need a token.");
    public static final ConfigKey GATEWAY_TLS_CERT = new ConfigKey("gateway.tls-cert", "path", null, COMMON,
            "PEM certificate chain for native TLS (wss://) on the gateway. When absent, plain ws:// (put a TLS proxy in front).");
    public static final ConfigKey GATEWAY_TLS_KEY = new ConfigKey("gateway.tls-key", "path", null, COMMON,
            "PEM private key (PKCS#8) of gateway.tls-cert.");
    public static final ConfigKey GATEWAY_MAX_FRAME = new ConfigKey("gateway.max-frame-bytes", "int", "65536", RARE,
            "Largest WebSocket frame (and message) accepted; larger ones close the connection with 1009.");
    public static final ConfigKey GATEWAY_IDLE = new ConfigKey("gateway.idle-timeout", "duration", "75s", RARE,
            "A connection that sends nothing (frames or pongs) for this long is closed (rounded up to whole ping intervals).");
    public static final ConfigKey GATEWAY_PING = new ConfigKey("gateway.ping-interval", "duration", "30s", RARE,
            "The gateway pings a connection it has received nothing from for this long, and again after each such interval.");
    public static final ConfigKey GATEWAY_AUTH_TIMEOUT = new ConfigKey("gateway.auth-timeout", "duration", "10s", RARE,
            "Time a new connection has to send session.authenticate (checking the token is not counted).");
    public static final ConfigKey GATEWAY_HANDSHAKE_TIMEOUT = new ConfigKey("gateway.handshake-timeout", "duration", "10s", RARE,
            "Time a new connection has, from connecting, to complete its WebSocket upgrade; one that has not (a slow or "
                    + "unfinished upgrade request) is closed.");
    public static final ConfigKey GATEWAY_WRITE_HIGH = new ConfigKey("gateway.write-buffer-high-bytes", "int", "1048576", RARE,
            "Outbound bytes queued for one connection beyond which it is unwritable (the low mark is half). "
                    + "A connection with four times this queued is closed at once as a slow consumer.");
    public static final ConfigKey GATEWAY_SLOW_GRACE = new ConfigKey("gateway.slow-consumer-grace", "duration", "10s", RARE,
            "How long a connection may stay unwritable before it is closed with 4008 slow_consumer.");
    public static final ConfigKey GATEWAY_SEND_RATE = new ConfigKey("gateway.sends-per-second", "int", "10", COMMON,
            "Messages one user may send per second, sustained, over all their connections; more get rate_limited.");
    public static final ConfigKey GATEWAY_SEND_BURST = new ConfigKey("gateway.send-burst", "int", "30", RARE,
            "Messages one user may send in a burst before gateway.sends-per-second applies.");
    public static final ConfigKey GATEWAY_IO_THREADS = new ConfigKey("gateway.io-threads", "int", "0", RARE,
            "Gateway event-loop threads; 0 for one per core.");
    public static final ConfigKey MESSAGES_LANES = new ConfigKey("messages.writer-lanes", "int", "4", RARE,
            "Group-commit lanes: threads that store messages, each with its own database connection (added to "
                    + "database.pool-size). Rooms are spread over the lanes; one room's messages are stored in order by one lane.");
    public static final ConfigKey MESSAGES_QUEUE = new ConfigKey("messages.queue-capacity", "int", "10000", RARE,
            "Sends that may wait per lane; beyond it sends fail fast with server_busy.");
    public static final ConfigKey MESSAGES_BATCH = new ConfigKey("messages.max-batch", "int", "500", RARE,
            "Most messages stored in one transaction.");

    public static final ConfigKey EXPORT_TTL = new ConfigKey("export.ttl", "duration", "7d", COMMON,
            "How long a finished export archive can be downloaded before it is deleted.");

    public static final ConfigKey SEARCH_ENABLED = new ConfigKey("search.enabled", "boolean", "true", COMMON,
            "Full-text search of messages (Lucene with the Kuromoji Japanese analyzer, embedded). When false, no index "
                    + "is kept and the search API answers not_found; after turning it on again, run reindex.");
    public static final ConfigKey SEARCH_INDEX_DIR = new ConfigKey("search.index-dir", "path", "<data-dir>/search-index", RARE,
            "Directory of the search index. It is rebuilt from the database when missing (in the background) or with "
                    + "the reindex command.");

    public static final ConfigKey LOG_FORMAT = new ConfigKey("log.format", "string", "text", COMMON,
            "text (one key=value line per event) or json (one JSON object per line). Read at start-up.");

    public static final List<ConfigKey> ALL = List.of(
            DATA_DIR, HTTP_HOST, HTTP_PORT, DB_URL, DB_USER, DB_PASSWORD,
            DB_POOL_SIZE, DB_QUEUE, HTTP_MAX_BODY, HTTP_TLS_KEYSTORE, HTTP_TLS_PASSWORD, HTTP_BEHIND_TLS_PROXY,
            HTTP_TRUST_FORWARDED, MANAGEMENT_PORT, MANAGEMENT_HOST,
            AUTH_ISSUER, AUTH_ACCESS_TTL, AUTH_REFRESH_TTL, AUTH_ARGON_MEMORY, AUTH_ARGON_ITERATIONS,
            AUTH_ARGON_PARALLELISM, AUTH_LOCKOUT_THRESHOLD, AUTH_LOCKOUT_DURATION, AUTH_IP_RATE, AUTH_PASSWORD_MIN, AUTH_DEVICE_PENDING_TTL,
            MAIL_HOST, MAIL_PORT, MAIL_SECURITY, MAIL_USER, MAIL_PASSWORD, MAIL_FROM, MAIL_TIMEOUT,
            GATEWAY_HOST, GATEWAY_PORT, GATEWAY_PUBLIC_URL, GATEWAY_ORIGINS, GATEWAY_TLS_CERT, GATEWAY_TLS_KEY,
            GATEWAY_MAX_FRAME, GATEWAY_IDLE, GATEWAY_PING, GATEWAY_AUTH_TIMEOUT, GATEWAY_HANDSHAKE_TIMEOUT, GATEWAY_WRITE_HIGH, GATEWAY_SLOW_GRACE,
            GATEWAY_SEND_RATE, GATEWAY_SEND_BURST, GATEWAY_IO_THREADS, MESSAGES_LANES, MESSAGES_QUEUE, MESSAGES_BATCH,
            EXPORT_TTL, SEARCH_ENABLED, SEARCH_INDEX_DIR, LOG_FORMAT);
}
