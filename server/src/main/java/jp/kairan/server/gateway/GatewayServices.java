package jp.kairan.server.gateway;

import java.time.Clock;
import java.util.concurrent.Executor;
import jp.kairan.server.config.GatewayConfig;
import jp.kairan.server.message.Messages;

/**
 * What every connection's session handler needs, built once per gateway.
 *
 * @param config      gateway settings
 * @param clock       time
 * @param sessions    token and session checks (blocking: run them on {@code blocking})
 * @param messages    the message commands (non-blocking; continue on the event loop they are given)
 * @param registry    connections and fan-out
 * @param sendLimiter per-user send rate
 * @param blocking    bounded executor for the few blocking calls (token checks)
 * @param closes      counts connections the server closes, by reason
 */
record GatewayServices(GatewayConfig config, Clock clock, SessionChecks sessions, Messages messages,
                       ConnectionRegistry registry, SendRateLimiter sendLimiter, Executor blocking,
                       java.util.function.Consumer<String> closes) {

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A fresh nonce for a connection's next authentication proof: 32 random bytes, base64url. */
    String newNonce() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Counts a connection the server closed, by reason ({@code idle_timeout}, {@code slow_consumer}, …). */
    void closed(String reason) {
        closes.accept(reason);
    }
}
