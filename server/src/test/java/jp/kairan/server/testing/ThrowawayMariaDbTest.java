package jp.kairan.server.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThrowawayMariaDbTest {

    @Test
    void findBinary_whenMissing_failsWithTheInstallCommand() {
        assertThatThrownBy(() -> ThrowawayMariaDb.findBinary("kairan-no-such-mariadbd"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kairan-no-such-mariadbd")
                .hasMessageContaining("apt-get install -y mariadb-server")
                .hasMessageContaining(MariaDb.ENV_URL);
    }
}
