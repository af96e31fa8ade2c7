package jp.kairan.server.config;

import java.nio.file.Path;
import jp.kairan.server.config.MailConfig;

/**
 * The whole server configuration: one immutable tree, loaded and validated once by {@link ConfigLoader},
 * then passed down through constructors. Nothing reads configuration statically.
 *
 * @param dataDir   local state directory
 * @param http      HTTP server
 * @param database  database connection and executor
 * @param auth      sign-in, tokens, passwords
 * @param mail      SMTP for e-mailed one-time passwords
 * @param gateway   the WebSocket gateway
 * @param messages  message storage
 * @param search    full-text search
 * @param logFormat {@code text} or {@code json}
 */
public record ServerConfig(Path dataDir, HttpConfig http, DatabaseConfig database, AuthConfig auth,
                           MailConfig mail, GatewayConfig gateway, MessagesConfig messages, java.time.Duration exportTtl,
                           SearchConfig search, String logFormat) {
}
