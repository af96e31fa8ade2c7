package jp.kairan.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.ProtocolVersion;

/**
 * Checks the WebSocket upgrade request before the handshake: the path, that it is an upgrade, the browser's
 * {@code Origin} (against cross-site WebSocket hijacking) and the protocol version offered as subprotocol. A
 * request the codec could not read (a line or headers over its limits: 431 {@code headers_too_large}) is refused
 * first.
 * A refused request gets a JSON error with a stable code and the connection closes; an accepted one passes on
 * and this handler leaves the pipeline.
 */
final class HandshakeGuard extends ChannelInboundHandlerAdapter {
    static final String PATH = "/ws";
    static final String SUPPORTED_HEADER = "X-Kairan-Supported-Versions";

    private final ObjectMapper json;
    private final List<String> allowedOrigins;

    HandshakeGuard(ObjectMapper json, List<String> allowedOrigins) {
        this.json = json;
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpResponseStatus status = null;
        ErrorCode code = null;
        if (req.decoderResult().isFailure()) {
            // The codec stopped reading: what it parsed is incomplete, so nothing else about it can be judged.
            Throwable cause = req.decoderResult().cause();
            boolean tooLarge = cause instanceof TooLongHttpHeaderException || cause instanceof TooLongHttpLineException;
            status = tooLarge ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            code = tooLarge ? ErrorCode.HEADERS_TOO_LARGE : ErrorCode.INVALID_MESSAGE;
        } else if (!PATH.equals(new QueryStringDecoder(req.uri()).path())) {
            status = HttpResponseStatus.NOT_FOUND;
            code = ErrorCode.NOT_FOUND;
        } else if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            status = HttpResponseStatus.UPGRADE_REQUIRED;
            code = ErrorCode.UNSUPPORTED_VERSION;
        } else if (!originAllowed(req.headers().get(HttpHeaderNames.ORIGIN), req.headers().get(HttpHeaderNames.HOST))) {
            status = HttpResponseStatus.FORBIDDEN;
            code = ErrorCode.ORIGIN_NOT_ALLOWED;
        } else if (ProtocolVersion.choose(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) == null) {
            status = HttpResponseStatus.BAD_REQUEST;
            code = ErrorCode.UNSUPPORTED_VERSION;
        }
        if (code == null) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        req.release();
        refuse(ctx, status, code);
    }

    /**
     * No Origin: not a browser, allowed. With configured origins: one of them. Otherwise the origin's host must
     * be the host the client connected to (any port), which another site cannot be.
     */
    boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins.contains(o);
        }
        if (host == null) {
            return false;
        }
        try {
            String originHost = URI.create(o).getHost();
            String requestHost = URI.create("http://" + host.strip().toLowerCase(Locale.ROOT)).getHost();
            return originHost != null && originHost.equals(requestHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, ErrorCode code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code.code());
        body.put("message", code.message());
        body.put("messageJa", code.messageJa());
        body.put("retryable", code.retryable());
        body.put("supported", ProtocolVersion.SUBPROTOCOLS);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        res.headers().set(SUPPORTED_HEADER, String.join(", ", ProtocolVersion.SUBPROTOCOLS));
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
