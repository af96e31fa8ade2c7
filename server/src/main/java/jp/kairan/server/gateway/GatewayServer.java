package jp.kairan.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.config.GatewayConfig;
import jp.kairan.server.message.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket gateway: binds, serves, and shuts down gracefully (every connection gets 1001, so clients
 * reconnect elsewhere or later). Uses epoll where available, NIO otherwise.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final ConnectionRegistry registry;
    private final GatewayServices services;
    private final ThreadPoolExecutor blocking;
    private final ObjectMapper json;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;

    public GatewayServer(GatewayConfig config, Clock clock, Sessions sessions, Messages messages,
                         ConnectionRegistry registry, ObjectMapper json, MeterRegistry metrics) {
        this.config = config;
        this.registry = registry;
        this.json = json;
        AtomicInteger n = new AtomicInteger();
        this.blocking = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(20_000), r -> {
            Thread t = new Thread(r, "kairan-gateway-auth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.services = new GatewayServices(config, clock, SessionChecks.of(sessions), messages, registry,
                new SendRateLimiter(config.sendsPerSecond(), config.sendBurst()), blocking,
                reason -> Counter.builder("kairan.gateway.closes").description("Connections the server closed, by reason")
                        .tag("reason", reason).register(metrics).increment());
    }

    /** Binds the port; returns once listening. */
    public void start() {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
        int high = config.writeBufferHighBytes();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .childHandler(new GatewayInitializer(services, sslContext(), json));
        server = b.bind(new InetSocketAddress(config.host(), config.port())).syncUninterruptibly().channel();
        log.info("gateway listening on {}://{}:{}/ws ({})", config.tls() ? "wss" : "ws", config.host(), port(),
                epoll ? "epoll" : "nio");
    }

    private SslContext sslContext() {
        if (!config.tls()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(config.tlsCert().orElseThrow().toFile(), config.tlsKey().orElseThrow().toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("gateway TLS: cannot read gateway.tls-cert / gateway.tls-key: " + e.getMessage(), e);
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
            registry.closeAll(CloseCodes.GOING_AWAY, "server_shutdown");
        }
        if (workers != null) {
            boss.shutdownGracefully(0, 1000, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        blocking.shutdownNow();
    }
}
