package jp.kairan.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the time from connecting to a completed WebSocket upgrade (against slow-loris: a client trickling an
 * unfinished upgrade request would otherwise hold its socket for ever). Starts its timer when the connection
 * becomes active and leaves the pipeline on {@code HandshakeComplete}; when the timer fires first, the connection
 * is closed without a response. Sits after the protocol handler, which fires {@code HandshakeComplete}.
 */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeDeadline.class);

    private final GatewayServices services;
    private final Duration timeout;
    private ScheduledFuture<?> deadline;

    HandshakeDeadline(GatewayServices services) {
        this.services = services;
        this.timeout = services.config().handshakeTimeout();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (deadline != null) {
            return;
        }
        deadline = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                log.info("{} closed: no complete WebSocket upgrade within {} ms", ctx.channel().remoteAddress(), timeout.toMillis());
                services.closed("handshake_timeout");
                ctx.channel().close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            cancel();
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
