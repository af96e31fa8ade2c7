package jp.kairan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** connect-src names the page's origin and the gateway, never WebSockets anywhere. */
class SecurityHeadersTest {

    @Test
    void withoutAPublicUrlTheGatewayIsTheRequestedHostOnTheGatewayPort() {
        SecurityHeaders h = new SecurityHeaders(null, false, null, false, 8081);
        assertThat(h.policy("chat.city.example:8080")).contains("connect-src 'self' ws://chat.city.example:8081;")
                .doesNotContain(" ws: ").doesNotContain(" wss:;");
        assertThat(h.policy("[::1]:8080")).contains("connect-src 'self' ws://[::1]:8081;");
        assertThat(new SecurityHeaders(null, true, null, true, 8443).policy("chat.city.example"))
                .contains("connect-src 'self' wss://chat.city.example:8443;");
    }

    @Test
    void aPublicUrlIsUsedAsItIs() {
        SecurityHeaders h = new SecurityHeaders(null, true, "wss://chat.city.example.lg.jp/ws", false, 8081);
        assertThat(h.policy("anything:8080")).contains("connect-src 'self' wss://chat.city.example.lg.jp;");
    }

    @Test
    void anOddHostHeaderAllowsNoGatewayAtAll() {
        SecurityHeaders h = new SecurityHeaders(null, false, null, false, 8081);
        assertThat(h.policy("evil.example; script-src *")).contains("connect-src 'self' ;").doesNotContain("evil");
        assertThat(h.policy(null)).contains("connect-src 'self' ;");
    }
}
