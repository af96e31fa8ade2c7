package jp.kairan.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.kairan.server.config.MailConfig;

/**
 * Loads {@link ServerConfig} from, in increasing precedence: defaults, a properties file, environment
 * variables ({@code KAIRAN_HTTP_PORT} for {@code http.port}) and explicit overrides (command-line flags).
 *
 * <p>The file is the one named by {@code --config}, else {@code <data-dir>/kairan.properties} when it exists.
 * All problems are collected and reported together. Unknown keys in the file are errors too, so that a typo
 * does not silently fall back to a default. Not thread-safe; use once at start-up.
 */
public final class ConfigLoader {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Set<String> KNOWN = ConfigKeys.ALL.stream().map(ConfigKey::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final Map<String, String> values = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader() {
    }

    /**
     * Loads and validates the configuration.
     *
     * @param env        environment variables (normally {@code System.getenv()})
     * @param configFile an explicit properties file, or empty
     * @param overrides  key → value from the command line; win over everything
     * @throws ConfigException listing every problem
     */
    public static ServerConfig load(Map<String, String> env, Optional<Path> configFile, Map<String, String> overrides) {
        return new ConfigLoader().doLoad(env, configFile, overrides);
    }

    private ServerConfig doLoad(Map<String, String> env, Optional<Path> configFile, Map<String, String> overrides) {
        Map<String, String> fromEnv = new HashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            String v = env.get(key.envName());
            if (v != null) {
                fromEnv.put(key.name(), v);
            }
        }
        String dataDirText = firstNonNull(overrides.get(ConfigKeys.DATA_DIR.name()), fromEnv.get(ConfigKeys.DATA_DIR.name()));
        Path file = configFile.orElse(null);
        if (file == null) {
            Path candidate = Path.of(dataDirText != null ? dataDirText : ConfigKeys.DATA_DIR.defaultText()).resolve("kairan.properties");
            if (Files.isRegularFile(candidate)) {
                file = candidate;
            }
        }
        if (file != null) {
            readFile(file);
        }
        values.putAll(fromEnv);
        overrides.forEach((k, v) -> {
            if (!KNOWN.contains(k)) {
                problems.add("unknown key '" + k + "'");
            } else {
                values.put(k, v);
            }
        });

        Path dataDir = Path.of(string(ConfigKeys.DATA_DIR)).toAbsolutePath().normalize();
        HttpConfig http = new HttpConfig(string(ConfigKeys.HTTP_HOST), intValue(ConfigKeys.HTTP_PORT, 0, 65535),
                intValue(ConfigKeys.HTTP_MAX_BODY, 1024, 64 * 1024 * 1024),
                optional(ConfigKeys.HTTP_TLS_KEYSTORE).map(Path::of),
                optional(ConfigKeys.HTTP_TLS_PASSWORD).orElse(""),
                bool(ConfigKeys.HTTP_BEHIND_TLS_PROXY), bool(ConfigKeys.HTTP_TRUST_FORWARDED),
                string(ConfigKeys.MANAGEMENT_HOST), optional(ConfigKeys.MANAGEMENT_PORT).isPresent()
                        ? OptionalInt.of(intValue(ConfigKeys.MANAGEMENT_PORT, 0, 65535)) : OptionalInt.empty());
        String jdbcUrl = optional(ConfigKeys.DB_URL)
                // DB_CLOSE_ON_EXIT=FALSE: H2 would close itself in its own shutdown hook, before the server's hook has
                // flushed and signed what it must; the server closes the database last instead.
                .orElse("jdbc:h2:file:" + dataDir.resolve("db").resolve("kairan")
                        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE");
        if (!jdbcUrl.startsWith("jdbc:mariadb:") && !jdbcUrl.startsWith("jdbc:mysql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            problems.add("database.jdbc-url must be a jdbc:mariadb: or jdbc:h2: URL, got \"" + DatabaseConfig.maskUrl(jdbcUrl) + "\"");
        }
        DatabaseConfig database = new DatabaseConfig(jdbcUrl, string(ConfigKeys.DB_USER),
                optional(ConfigKeys.DB_PASSWORD).orElse(""), intValue(ConfigKeys.DB_POOL_SIZE, 1, 200),
                intValue(ConfigKeys.DB_QUEUE, 1, 1_000_000));
        AuthConfig auth = new AuthConfig(string(ConfigKeys.AUTH_ISSUER), duration(ConfigKeys.AUTH_ACCESS_TTL),
                duration(ConfigKeys.AUTH_REFRESH_TTL), intValue(ConfigKeys.AUTH_ARGON_MEMORY, 1024, 4 * 1024 * 1024),
                intValue(ConfigKeys.AUTH_ARGON_ITERATIONS, 1, 100), intValue(ConfigKeys.AUTH_ARGON_PARALLELISM, 1, 64),
                intValue(ConfigKeys.AUTH_LOCKOUT_THRESHOLD, 1, 1000), duration(ConfigKeys.AUTH_LOCKOUT_DURATION),
                intValue(ConfigKeys.AUTH_IP_RATE, 1, 1_000_000), intValue(ConfigKeys.AUTH_PASSWORD_MIN, 8, 128),
                duration(ConfigKeys.AUTH_DEVICE_PENDING_TTL));
        MailConfig mail = mail();
        GatewayConfig gateway = gateway();
        MessagesConfig messages = new MessagesConfig(intValue(ConfigKeys.MESSAGES_LANES, 1, 64),
                intValue(ConfigKeys.MESSAGES_QUEUE, 1, 10_000_000), intValue(ConfigKeys.MESSAGES_BATCH, 1, 10_000));
        SearchConfig search = new SearchConfig(bool(ConfigKeys.SEARCH_ENABLED), optional(ConfigKeys.SEARCH_INDEX_DIR)
                .map(dir -> dataDir.resolve(dir).normalize()).orElse(dataDir.resolve("search-index")));
        String logFormat = string(ConfigKeys.LOG_FORMAT).toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            problems.add("log.format must be text or json, got \"" + logFormat + "\"");
        }
        int managementPort = http.managementPort().orElse(0);
        if (managementPort != 0 && (managementPort == http.port() || managementPort == gateway.port())) {
            problems.add("management.port must differ from http.port and gateway.port, got " + managementPort);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServerConfig(dataDir, http, database, auth, mail, gateway, messages, duration(ConfigKeys.EXPORT_TTL),
                search, logFormat);
    }

    private GatewayConfig gateway() {
        List<String> origins = optional(ConfigKeys.GATEWAY_ORIGINS).map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(o -> !o.isEmpty()).map(o -> o.replaceAll("/+$", "")).toList()).orElse(List.of());
        optional(ConfigKeys.GATEWAY_PUBLIC_URL).ifPresent(url -> {
            if (!url.matches("wss?://[A-Za-z0-9.\\-\\[\\]:]+(/\\S*)?")) {
                problems.add("gateway.public-url must be a ws:// or wss:// URL, got \"" + url + "\"");
            }
        });
        Optional<Path> cert = optional(ConfigKeys.GATEWAY_TLS_CERT).map(Path::of);
        Optional<Path> key = optional(ConfigKeys.GATEWAY_TLS_KEY).map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            problems.add("gateway.tls-cert and gateway.tls-key go together");
        }
        return new GatewayConfig(string(ConfigKeys.GATEWAY_HOST), intValue(ConfigKeys.GATEWAY_PORT, 0, 65535),
                optional(ConfigKeys.GATEWAY_PUBLIC_URL), origins, cert, key,
                intValue(ConfigKeys.GATEWAY_MAX_FRAME, 1024, 16 * 1024 * 1024), duration(ConfigKeys.GATEWAY_IDLE),
                duration(ConfigKeys.GATEWAY_PING), duration(ConfigKeys.GATEWAY_AUTH_TIMEOUT),
                duration(ConfigKeys.GATEWAY_HANDSHAKE_TIMEOUT),
                intValue(ConfigKeys.GATEWAY_WRITE_HIGH, 16 * 1024, 256 * 1024 * 1024), duration(ConfigKeys.GATEWAY_SLOW_GRACE),
                intValue(ConfigKeys.GATEWAY_SEND_RATE, 1, 100_000), intValue(ConfigKeys.GATEWAY_SEND_BURST, 1, 1_000_000),
                intValue(ConfigKeys.GATEWAY_IO_THREADS, 0, 256));
    }

    private MailConfig mail() {
        Optional<String> host = optional(ConfigKeys.MAIL_HOST);
        int port = intValue(ConfigKeys.MAIL_PORT, 1, 65535);
        Duration timeout = duration(ConfigKeys.MAIL_TIMEOUT);
        MailConfig.Security security;
        try {
            security = MailConfig.Security.of(string(ConfigKeys.MAIL_SECURITY));
        } catch (IllegalArgumentException e) {
            problems.add("mail.security: " + e.getMessage());
            return MailConfig.disabled();
        }
        if (host.isEmpty()) {
            return MailConfig.disabled();
        }
        Optional<String> user = optional(ConfigKeys.MAIL_USER);
        Optional<String> password = user.isPresent() ? Optional.of(optional(ConfigKeys.MAIL_PASSWORD).orElse("")) : Optional.empty();
        try {
            return new MailConfig(host.get(), port, security, user, password, string(ConfigKeys.MAIL_FROM),
                    Optional.of("Kairan"), timeout, timeout);
        } catch (IllegalArgumentException e) {
            problems.add("mail: " + e.getMessage());
            return MailConfig.disabled();
        }
    }

    private void readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            problems.add("cannot read config file " + file + ": " + e.getMessage());
            return;
        }
        for (String name : props.stringPropertyNames()) {
            if (!KNOWN.contains(name)) {
                problems.add("unknown key '" + name + "' in " + file);
            } else {
                values.put(name, props.getProperty(name).trim());
            }
        }
    }

    private Optional<String> optional(ConfigKey key) {
        String v = values.get(key.name());
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private String string(ConfigKey key) {
        return optional(key).orElse(key.defaultText());
    }

    private int intValue(ConfigKey key, int min, int max) {
        String text = string(key);
        try {
            int v = Integer.parseInt(text.replace("_", ""));
            if (v < min || v > max) {
                problems.add(key.name() + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(key.name() + " must be an integer, got \"" + text + "\"");
            return min;
        }
    }

    private boolean bool(ConfigKey key) {
        String text = string(key).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            problems.add(key.name() + " must be true or false, got \"" + text + "\"");
        }
        return text.equals("true");
    }

    private Duration duration(ConfigKey key) {
        String text = string(key);
        Duration d = parseDuration(text);
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(key.name() + " must be a positive duration such as 30s, 5m, 12h, 7d or PT5M, got \"" + text + "\"");
            return Duration.ofSeconds(1);
        }
        return d;
    }

    /** Parses {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}, {@code 250ms} or ISO-8601; null when invalid. */
    static Duration parseDuration(String text) {
        Matcher m = SIMPLE_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
