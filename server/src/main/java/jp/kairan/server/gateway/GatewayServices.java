package jp.kairan.server.gateway;

import java.time.Clock;
import java.util.concurrent.Executor;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.config.GatewayConfig;
import jp.kairan.server.message.MessageService;

/**
 * What every connection's session handler needs, built once per gateway.
 *
 * @param config      gateway settings
 * @param clock       time
 * @param sessions    token and session checks (blocking: run them on {@code blocking})
 * @param messages    the message service (non-blocking)
 * @param registry    connections and fan-out
 * @param sendLimiter per-user send rate
 * @param blocking    bounded executor for the few blocking calls (token checks)
 * @param onSlowConsumer counts a slow consumer closed by its handler
 */
record GatewayServices(GatewayConfig config, Clock clock, Sessions sessions, MessageService messages,
                       ConnectionRegistry registry, SendRateLimiter sendLimiter, Executor blocking,
                       Runnable onSlowConsumer) {

    void slowConsumerClosed() {
        onSlowConsumer.run();
    }
}
