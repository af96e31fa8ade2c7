package jp.kairan.server.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The MariaDB server that integration tests run against: one per test JVM.
 *
 * <p>If the environment variable {@value #ENV_URL} is set (a {@code jdbc:mariadb://} URL, with
 * {@value #ENV_USER} and {@value #ENV_PASSWORD}), that server is used. Otherwise a throwaway
 * {@code mariadbd} is started on a free loopback port with a temporary datadir, and stopped (and
 * its datadir deleted) when the JVM exits. Nothing is ever skipped: if neither is possible,
 * {@link #shared()} throws an exception that says how to fix the machine.
 *
 * <pre>{@code
 * try (TestDatabase db = MariaDb.shared().createDatabase()) {
 *     // db.jdbcUrl(), db.user(), db.password(): a fresh, empty utf8mb4_bin database
 * }
 * }</pre>
 */
public final class MariaDb {

    public static final String ENV_URL = "KAIRAN_TEST_DB_URL";
    public static final String ENV_USER = "KAIRAN_TEST_DB_USER";
    public static final String ENV_PASSWORD = "KAIRAN_TEST_DB_PASSWORD";

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9_]{1,64}");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static MariaDb shared;
    private static RuntimeException sharedFailure;

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String description;

    private MariaDb(String serverUrl, String user, String password, String description) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.description = description;
    }

    /**
     * The server shared by every test in this JVM, started (or connected to) on first use.
     *
     * @throws IllegalStateException if the server named by {@value #ENV_URL} cannot be reached,
     *     or if no server is named and {@code mariadbd} is missing or does not start
     */
    public static synchronized MariaDb shared() {
        if (shared == null) {
            if (sharedFailure != null) {
                // fail fast in every later test class instead of waiting for the same timeout again
                throw new IllegalStateException("The test MariaDB could not be set up earlier in this JVM: "
                        + sharedFailure.getMessage(), sharedFailure);
            }
            try {
                shared = connect();
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    private static MariaDb connect() {
        String url = System.getenv(ENV_URL);
        if (url != null && !url.isBlank()) {
            String user = envOrDefault(ENV_USER, "root");
            String password = envOrDefault(ENV_PASSWORD, "");
            MariaDb db = new MariaDb(url.trim(), user, password, "MariaDB named by " + ENV_URL + ": "
                    + JdbcUrls.withoutCredentials(url.trim()) + " as " + user);
            try (Connection c = db.openServerConnection()) {
                c.isValid(5);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot connect to the MariaDB server named by "
                        + ENV_URL + " (" + JdbcUrls.withoutCredentials(url) + ", user " + user
                        + "): " + e.getMessage() + ". Fix the server or the variables ("
                        + ENV_URL + ", " + ENV_USER + ", " + ENV_PASSWORD
                        + "), or unset " + ENV_URL + " to start a throwaway mariadbd.", e);
            }
            return db;
        }
        ThrowawayMariaDb server = ThrowawayMariaDb.start();
        return new MariaDb(server.jdbcUrl(), server.user(), server.password(), server.toString());
    }

    private static String envOrDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** Creates a fresh, empty database ({@code utf8mb4}, {@code utf8mb4_bin}) with a unique name. */
    public TestDatabase createDatabase() {
        String name = "kt_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
                + HexFormat.of().formatHex(randomBytes(3));
        try (Connection c = openServerConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + " on "
                    + description + ": " + e.getMessage(), e);
        }
        return new TestDatabase(this, name, JdbcUrls.withDatabase(serverUrl, name), user, password);
    }

    void dropDatabase(String name) {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a test database name: " + name);
        }
        try (Connection c = openServerConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop test database " + name + " on "
                    + description + ": " + e.getMessage(), e);
        }
    }

    /** A connection to the server with no default database (for admin statements in tests). */
    public Connection openServerConnection() throws SQLException {
        return DriverManager.getConnection(serverUrl, user, password);
    }

    /** Which server this is: the external URL, or the throwaway's port, datadir and version. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
