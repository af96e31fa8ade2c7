package jp.kairan.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jp.kairan.protocol.ProtocolVersion;

/** Assembles each connection's pipeline: codecs first, then one session handler. Does nothing else. */
final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    private final GatewayServices services;
    private final SslContext sslContext;
    private final EnvelopeCodec codec;
    private final ObjectMapper json;
    private final WebSocketServerProtocolConfig websocket;
    private final AtomicLong connections = new AtomicLong();

    GatewayInitializer(GatewayServices services, SslContext sslContext, ObjectMapper json) {
        this.services = services;
        this.sslContext = sslContext;
        this.json = json;
        this.codec = new EnvelopeCodec(json);
        int maxFrame = services.config().maxFrameBytes();
        this.websocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(HandshakeGuard.PATH)
                .subprotocols(String.join(",", ProtocolVersion.SUBPROTOCOLS))
                .checkStartsWith(false)
                .handshakeTimeoutMillis(services.config().authTimeout().toMillis())
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxFrame)
                        .allowExtensions(false).closeOnProtocolViolation(false).build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (sslContext != null) {
            p.addLast("tls", sslContext.newHandler(ch.alloc()));
        }
        // First, so that every byte read (pongs included) counts as life. Reader idle every ping interval:
        // the session pings, and closes once nothing has arrived for the idle timeout.
        p.addLast("idle", new IdleStateHandler(services.config().pingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("http", new HttpServerCodec(4096, 8192, 8192));
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        p.addLast("handshake-guard", new HandshakeGuard(json, services.config().allowedOrigins()));
        p.addLast("frame-violations", FrameViolationHandler.INSTANCE);
        p.addLast("websocket", new WebSocketServerProtocolHandler(websocket));
        // After the protocol handler, which fires HandshakeComplete; its timer runs from connecting.
        p.addLast("handshake-deadline", new HandshakeDeadline(services));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(services.config().maxFrameBytes()));
        p.addLast("codec", codec);
        p.addLast("session", new SessionHandler(services, "c" + Long.toString(connections.incrementAndGet(), 36)));
    }
}
