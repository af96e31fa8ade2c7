package jp.kairan.server.config;

/**
 * Database settings.
 *
 * @param jdbcUrl       JDBC URL (MariaDB or H2)
 * @param user          user
 * @param password      password (never logged)
 * @param poolSize      HikariCP pool size, also the database executor's thread count
 * @param queueCapacity database tasks that may wait for a thread before requests fail with server_busy
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, int poolSize, int queueCapacity) {

    /** Whether the URL names the embedded H2 database. */
    public boolean embedded() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[jdbcUrl=\"" + maskUrl(jdbcUrl) + "\", user=\"" + user + "\", password="
                + (password.isEmpty() ? "<empty>" : "<masked>") + ", poolSize=" + poolSize
                + ", queueCapacity=" + queueCapacity + "]";
    }

    /** Masks {@code password=…} parameters inside a JDBC URL, as HikariCP does. */
    static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1<masked>");
    }
}
