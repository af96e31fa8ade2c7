package jp.kairan.server.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import jp.kairan.protocol.ErrorCode;

/**
 * Answers a broken WebSocket frame (too large, bad masking, bad opcode) with a close frame naming the reason,
 * then closes after the peer's close reply or a second. Netty's own handling would close at once, and the
 * rest of an oversized frame still arriving would make the kernel reset the connection before the client
 * could read why. Sits just before the WebSocket protocol handler so that it sees the decoder's exceptions
 * first.
 */
@ChannelHandler.Sharable
final class FrameViolationHandler extends ChannelInboundHandlerAdapter {
    static final FrameViolationHandler INSTANCE = new FrameViolationHandler();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException bad) {
            boolean tooBig = bad.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
            Connection.closeChannel(ctx.channel(), bad.closeStatus().code(),
                    tooBig ? ErrorCode.FRAME_TOO_LARGE.code() : ErrorCode.INVALID_MESSAGE.code());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
