package jp.kairan.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The WebSocket gateway.
 *
 * @param host                 bind address
 * @param port                 port, 0 for any free port
 * @param publicUrl            the URL clients use when it differs from host:port (behind a proxy), or empty
 * @param allowedOrigins       browser origins allowed to connect; empty: the origin's host must be the host
 *                             the client connected to
 * @param tlsCert              PEM certificate chain; present means the gateway speaks TLS
 * @param tlsKey               PEM private key (PKCS#8)
 * @param maxFrameBytes        largest frame accepted
 * @param idleTimeout          a connection that sends nothing for this long is closed
 * @param pingInterval         the server pings a connection it has written nothing to for this long
 * @param authTimeout          time allowed for the first frame, session.authenticate
 * @param handshakeTimeout     time allowed from connecting to a completed WebSocket upgrade
 * @param writeBufferHighBytes outbound bytes beyond which a connection counts as unwritable
 * @param slowConsumerGrace    how long a connection may stay unwritable before it is closed
 * @param sendsPerSecond       message sends allowed per user per second (sustained)
 * @param sendBurst            message sends allowed in a burst
 * @param ioThreads            event-loop threads, 0 for one per core
 */
public record GatewayConfig(String host, int port, Optional<String> publicUrl, List<String> allowedOrigins,
                            Optional<Path> tlsCert, Optional<Path> tlsKey, int maxFrameBytes, Duration idleTimeout,
                            Duration pingInterval, Duration authTimeout, Duration handshakeTimeout,
                            int writeBufferHighBytes,
                            Duration slowConsumerGrace, int sendsPerSecond, int sendBurst, int ioThreads) {

    public GatewayConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public boolean tls() {
        return tlsCert.isPresent();
    }
}
