package jp.kairan.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

    @Test
    void withDatabase_setsTheDatabaseOfAUrlWithout() {
        assertThat(JdbcUrls.withDatabase("jdbc:mariadb://127.0.0.1:3306", "kt_1"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/kt_1");
        assertThat(JdbcUrls.withDatabase("jdbc:mariadb://127.0.0.1:3306/", "kt_1"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/kt_1");
    }

    @Test
    void withDatabase_replacesTheDatabaseAndKeepsOptions() {
        assertThat(JdbcUrls.withDatabase("jdbc:mariadb://db.test:3307/test?useSsl=false&connectTimeout=500", "kt_2"))
                .isEqualTo("jdbc:mariadb://db.test:3307/kt_2?useSsl=false&connectTimeout=500");
        assertThat(JdbcUrls.withDatabase("jdbc:mariadb:replication://a:3306,b:3306?x=1", "kt_3"))
                .isEqualTo("jdbc:mariadb:replication://a:3306,b:3306/kt_3?x=1");
    }

    @Test
    void withDatabase_rejectsWhatIsNotAJdbcUrl() {
        assertThatThrownBy(() -> JdbcUrls.withDatabase("mariadb://127.0.0.1", "kt_4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mariadb://");
    }

    @Test
    void withoutCredentials_masksPasswords() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:mariadb://h/db?user=a&password=s3cret&x=1"))
                .isEqualTo("jdbc:mariadb://h/db?user=a&password=***&x=1");
    }
}
