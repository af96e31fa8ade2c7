package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import org.junit.jupiter.api.Test;

/** Sign-in attempts per client address are limited, and the answer says to retry later. */
class RateLimitIT {
    @Test
    void tooManyAttemptsFromOneAddress_areRefusedWithRateLimited() {
        try (TestServer server = TestServer.start(Map.of("auth.ip-attempts-per-minute", "5"))) {
            for (int i = 0; i < 5; i++) {
                Response r = server.post("/api/v1/auth/login", Map.of("loginId", "user" + i, "password", "wrong-password"), null);
                assertThat(r.code()).isEqualTo("invalid_credentials");
            }
            Response limited = server.post("/api/v1/auth/login", Map.of("loginId", "user9", "password", "wrong-password"), null);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.code()).isEqualTo("rate_limited");
            assertThat(limited.body().get("retryable").asBoolean()).isTrue();
            assertThat(server.get("/health/ready", null).status()).isEqualTo(200);
        }
    }
}
