package jp.kairan.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A fresh, empty MariaDB database created for one test class (or one test) by {@link MariaDb}.
 *
 * <p>Its default character set is {@code utf8mb4} with collation {@code utf8mb4_bin}, so tables
 * created without an explicit charset store any Unicode text, 4-byte emoji included. Closing it
 * drops the database; closing twice is harmless.
 */
public final class TestDatabase implements AutoCloseable {

    private final MariaDb server;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private boolean dropped;

    TestDatabase(MariaDb server, String name, String jdbcUrl, String user, String password) {
        this.server = Objects.requireNonNull(server);
        this.name = Objects.requireNonNull(name);
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl);
        this.user = Objects.requireNonNull(user);
        this.password = Objects.requireNonNull(password);
    }

    /** The database (schema) name, unique on the server. */
    public String name() {
        return name;
    }

    /** A {@code jdbc:mariadb://} URL whose default database is this one. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Opens a new JDBC connection to this database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Drops the database. */
    public synchronized void drop() {
        if (dropped) {
            return;
        }
        server.dropDatabase(name);
        dropped = true;
    }

    @Override
    public void close() {
        drop();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " at " + jdbcUrl + "]";
    }
}
