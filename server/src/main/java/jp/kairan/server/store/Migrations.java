package jp.kairan.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the newest version with Flyway. Migrations live in {@code db/migration} and are written
 * once for both MariaDB and the embedded H2 (which runs in MariaDB mode); the placeholder
 * {@code ${table_options}} adds InnoDB and utf8mb4 on MariaDB.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final String MARIADB_TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    private Migrations() {
    }

    static void migrate(DataSource ds, boolean embedded) {
        if (!embedded) {
            checkMariaDb(ds);
        }
        MigrateResult result = Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(Map.of("table_options", embedded ? "" : MARIADB_TABLE_OPTIONS))
                .failOnMissingLocations(true)
                .load()
                .migrate();
        log.info("schema at version {} ({} migration(s) applied)", result.targetSchemaVersion, result.migrationsExecuted);
    }

    /** Refuses MariaDB older than 10.6 and a database whose default character set is not utf8mb4. */
    private static void checkMariaDb(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@character_set_database")) {
            rs.next();
            String version = rs.getString(1);
            String charset = rs.getString(2);
            if (!version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
                log.warn("database reports version {}; Kairan is tested on MariaDB 10.6+", version);
            } else {
                String[] parts = version.split("[.-]");
                int major = Integer.parseInt(parts[0]);
                int minor = Integer.parseInt(parts[1]);
                if (major < 10 || (major == 10 && minor < 6)) {
                    throw new IllegalStateException("MariaDB " + version + " is too old: Kairan needs 10.6 or newer");
                }
            }
            if (!"utf8mb4".equalsIgnoreCase(charset)) {
                throw new IllegalStateException("The database's default character set is " + charset
                        + ", not utf8mb4. Create it with: CREATE DATABASE kairan CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
                        + " or run ALTER DATABASE kairan CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;");
            }
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot check the database: " + e.getMessage(), e);
        }
    }
}
