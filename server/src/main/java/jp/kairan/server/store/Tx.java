package jp.kairan.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.Session;

/**
 * The current unit of work. Passed explicitly as the first argument of repository methods; only
 * repositories unwrap it. Never stored, never shared across threads.
 */
public final class Tx {
    private final Session session;

    Tx(Session session) {
        this.session = session;
    }

    /** Work on the transaction's JDBC connection (hot paths that batch statements by hand). */
    @FunctionalInterface
    public interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on this transaction's connection; an {@link SQLException} becomes a
     * {@link DatabaseException}, which rolls the transaction back. For repositories only.
     */
    public <T> T jdbc(JdbcWork<T> work) {
        return session.doReturningWork(connection -> {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new DatabaseException(e);
            }
        });
    }

    /** Runs one INSERT, UPDATE or DELETE with positional arguments; returns the rows changed. For repositories only. */
    public int update(String sql, Object... args) {
        return jdbc(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    /** The Hibernate session of this transaction; for repositories only. */
    public Session session() {
        return session;
    }
}
