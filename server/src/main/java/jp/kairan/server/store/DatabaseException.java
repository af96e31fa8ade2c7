package jp.kairan.server.store;

import java.sql.SQLException;

/** A failed statement on a hand-written JDBC path; carries the SQL state so callers can tell a duplicate key. */
public final class DatabaseException extends RuntimeException {
    private final String sqlState;

    DatabaseException(SQLException cause) {
        super(cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    /** Whether the statement broke a unique or foreign-key constraint (SQL state class 23). */
    public boolean constraintViolation() {
        return sqlState != null && sqlState.startsWith("23");
    }
}
