package jp.kairan.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaults_giveAnEmbeddedDatabaseInTheDataDirectory() {
        ServerConfig c = ConfigLoader.load(Map.of(), Optional.empty(), Map.of("data-dir", dir.toString()));
        assertThat(c.database().embedded()).isTrue();
        assertThat(c.database().jdbcUrl()).startsWith("jdbc:h2:file:" + dir.toAbsolutePath());
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.auth().accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.mail().enabled()).isFalse();
    }

    @Test
    void metricsHaveNoListenerUnlessAManagementPortIsSet() {
        // issue #16: /metrics answers without sign-in, so by default it is served nowhere (never on http.port).
        ServerConfig byDefault = ConfigLoader.load(Map.of(), Optional.empty(), Map.of("data-dir", dir.toString()));
        assertThat(byDefault.http().managementPort()).isEmpty();
        assertThat(byDefault.http().managementHost()).isEqualTo("127.0.0.1");

        ServerConfig set = ConfigLoader.load(Map.of("KAIRAN_MANAGEMENT_PORT", "9100"), Optional.empty(),
                Map.of("data-dir", dir.toString(), "management.host", "10.0.0.5"));
        assertThat(set.http().managementPort()).hasValue(9100);
        assertThat(set.http().managementHost()).isEqualTo("10.0.0.5");

        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Optional.empty(),
                Map.of("data-dir", dir.toString(), "management.port", "8080")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management.port must differ from http.port and gateway.port");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Optional.empty(),
                Map.of("data-dir", dir.toString(), "management.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management.port must be between 0 and 65535");
    }

    @Test
    void fileThenEnvironmentThenFlags() throws IOException {
        Files.writeString(dir.resolve("kairan.properties"), "http.port=9000\nauth.lockout-duration=1h\nlog.format=json\n");
        ServerConfig fromFile = ConfigLoader.load(Map.of(), Optional.empty(), Map.of("data-dir", dir.toString()));
        assertThat(fromFile.http().port()).isEqualTo(9000);
        assertThat(fromFile.auth().lockoutDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(fromFile.logFormat()).isEqualTo("json");

        ServerConfig fromEnv = ConfigLoader.load(Map.of("KAIRAN_HTTP_PORT", "9100", "KAIRAN_DATA_DIR", dir.toString()),
                Optional.empty(), Map.of());
        assertThat(fromEnv.http().port()).isEqualTo(9100);

        ServerConfig fromFlag = ConfigLoader.load(Map.of("KAIRAN_HTTP_PORT", "9100"), Optional.empty(),
                Map.of("data-dir", dir.toString(), "http.port", "9200"));
        assertThat(fromFlag.http().port()).isEqualTo(9200);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Files.writeString(dir.resolve("kairan.properties"), "http.prot=9000\nhttp.port=abc\nauth.access-token-ttl=soon\n"
                + "mail.security=ssl\nlog.format=xml\ndatabase.jdbc-url=jdbc:postgresql://x/y\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Optional.empty(), Map.of("data-dir", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(6))
                .hasMessageContaining("unknown key 'http.prot'")
                .hasMessageContaining("http.port must be an integer")
                .hasMessageContaining("auth.access-token-ttl")
                .hasMessageContaining("mail.security")
                .hasMessageContaining("log.format")
                .hasMessageContaining("jdbc:postgresql");
    }

    @Test
    void secretsAreMaskedInTheLoggedConfiguration() {
        ServerConfig c = ConfigLoader.load(Map.of("KAIRAN_DATABASE_PASSWORD", "s3cret", "KAIRAN_MAIL_HOST", "smtp.example.jp",
                        "KAIRAN_MAIL_USERNAME", "u", "KAIRAN_MAIL_PASSWORD", "mailpw",
                        "KAIRAN_DATABASE_JDBC_URL", "jdbc:mariadb://db:3306/k?password=inurl"),
                Optional.empty(), Map.of("data-dir", dir.toString()));
        String logged = c.http() + " " + c.database() + " " + c.auth() + " " + c.mail();
        assertThat(logged).doesNotContain("s3cret").doesNotContain("mailpw").doesNotContain("inurl").contains("<masked>");
    }

    @Test
    void durations() {
        assertThat(ConfigLoader.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigLoader.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ConfigLoader.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigLoader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigLoader.parseDuration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.parseDuration("later")).isNull();
    }
}
