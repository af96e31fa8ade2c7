package jp.kairan.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throwaway {@code mariadbd} of the test's own (not the shared one), with one database, that the test can
 * {@link #kill()} (SIGKILL) and {@link #restart()} on the same port and datadir: for database outages.
 * Always starts its own server, even when {@code KAIRAN_TEST_DB_URL} names one, since that one must not be killed.
 */
public final class OutageMariaDb implements AutoCloseable {
    private static final String DATABASE = "kairan_outage";
    private final ThrowawayMariaDb server;

    private OutageMariaDb(ThrowawayMariaDb server) {
        this.server = server;
    }

    public static OutageMariaDb start() {
        ThrowawayMariaDb server = ThrowawayMariaDb.start();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + DATABASE + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            server.stop();
            throw new IllegalStateException("Cannot create the outage test database: " + e.getMessage(), e);
        }
        return new OutageMariaDb(server);
    }

    public String jdbcUrl() {
        return JdbcUrls.withDatabase(server.jdbcUrl(), DATABASE);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** Kills the server (SIGKILL); connections are refused until {@link #restart()}. */
    public void kill() {
        server.kill();
    }

    /** Starts the killed server again on the same port and datadir and waits until it answers. */
    public void restart() {
        server.restart();
    }

    @Override
    public void close() {
        server.stop();
    }
}
