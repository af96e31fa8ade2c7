package jp.kairan.server.store;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * The database cannot be reached (refused, dropped or timed-out connections); the request may be retried once it
 * is back. Carries no stack trace worth logging: {@link Reachability} logs the outage once, not per request.
 */
public final class DatabaseUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DatabaseUnavailableException(String message) {
        super(message, null, false, false);
    }

    /**
     * Whether {@code error} (or one of its causes) says the database cannot be reached: a connection exception of
     * JDBC (SQL state class 08, {@link SQLNonTransientConnectionException}, {@link SQLRecoverableException}, as the
     * MariaDB connector throws them), Hibernate's {@code JDBCConnectionException}, a refused socket, or HikariCP's
     * "Connection is not available" timeout when it carries the failure of the last connection attempt. The same
     * timeout without such a cause means a pool that is merely exhausted: busy, not unavailable.
     */
    static boolean isConnectionFailure(Throwable error) {
        Throwable e = error;
        for (int depth = 0; e != null && depth < 16; depth++, e = e.getCause()) {
            if (e instanceof SQLTransientConnectionException t && t.getCause() == null
                    && String.valueOf(t.getMessage()).contains("Connection is not available")) {
                return false;
            }
            if (e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException
                    || e instanceof SQLTransientConnectionException || e instanceof ConnectException
                    || e.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code error} is HikariCP's timeout on an exhausted pool whose database answers. */
    static boolean isPoolExhausted(Throwable error) {
        Throwable e = error;
        for (int depth = 0; e != null && depth < 16; depth++, e = e.getCause()) {
            if (e instanceof SQLTransientConnectionException t && t.getCause() == null
                    && String.valueOf(t.getMessage()).contains("Connection is not available")) {
                return true;
            }
        }
        return false;
    }
}
