package jp.kairan.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * DATETIME(6) columns hold UTC wall-clock times (as Hibernate writes them with {@code jdbc.time_zone=UTC}).
 * Hand-written JDBC converts with these, never with {@link java.sql.Timestamp}, which would use the JVM's zone.
 */
public final class UtcTimes {
    private UtcTimes() {
    }

    /** The column value for an instant (null stays null). */
    public static LocalDateTime toColumn(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The instant in a column, or null. */
    public static Instant read(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
