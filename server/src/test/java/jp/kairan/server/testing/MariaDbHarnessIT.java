package jp.kairan.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test database harness: real MariaDB, isolated databases, full Unicode. */
class MariaDbHarnessIT {

    private static TestDatabase first;
    private static TestDatabase second;

    @BeforeAll
    static void createDatabases() {
        first = MariaDb.shared().createDatabase();
        second = MariaDb.shared().createDatabase();
    }

    @AfterAll
    static void dropDatabases() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void eachDatabaseHasAUniqueNameAndUrl() {
        assertThat(first.name()).isNotEqualTo(second.name());
        assertThat(first.jdbcUrl()).startsWith("jdbc:mariadb://").contains("/" + first.name());
        assertThat(second.jdbcUrl()).contains("/" + second.name());
    }

    @Test
    void newDatabasesAreEmptyAndIsolated() throws SQLException {
        try (Connection c = first.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rooms (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            s.execute("INSERT INTO rooms VALUES (1, 'general')");
        }

        assertThat(tables(first)).containsExactly("rooms");
        assertThat(tables(second)).isEmpty();

        try (Connection c = second.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rooms (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM rooms")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void databaseDefaultsToUtf8mb4Bin() throws SQLException {
        try (Connection c = first.connect();
                PreparedStatement ps = c.prepareStatement("SELECT DEFAULT_CHARACTER_SET_NAME, "
                        + "DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, first.name());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("utf8mb4");
                assertThat(rs.getString(2)).isEqualTo("utf8mb4_bin");
            }
        }
    }

    @Test
    void japaneseTextAndFourByteEmojiRoundTripInATableWithoutExplicitCharset() throws SQLException {
        String text = "回覧板のお知らせ：山田○郎さん、明日９時に集合 🍣😀👍🏽 𠮷野家 ｶﾀｶﾅ";
        try (Connection c = second.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(200) NOT NULL)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, text);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT body, CHAR_LENGTH(body) FROM notes WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(text);
                assertThat(rs.getInt(2)).isEqualTo(text.codePointCount(0, text.length()));
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notes WHERE body = '"
                            + text.replace("🍣", "🍔") + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("utf8mb4_bin tells emoji apart").isZero();
            }
        }
    }

    @Test
    void dropRemovesTheDatabase() throws SQLException {
        TestDatabase third = MariaDb.shared().createDatabase();
        assertThat(schemaExists(third.name())).isTrue();

        third.drop();
        third.close(); // a second drop is harmless

        assertThat(schemaExists(third.name())).isFalse();
    }

    private static List<String> tables(TestDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW TABLES")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static boolean schemaExists(String name) throws SQLException {
        try (Connection c = MariaDb.shared().openServerConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
