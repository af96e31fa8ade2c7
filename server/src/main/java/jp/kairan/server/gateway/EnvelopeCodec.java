package jp.kairan.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import jp.kairan.protocol.ClientMessage;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.ServerMessage;

/**
 * Text frames to protocol records and back, and nothing else: no authentication, no database. A frame that is
 * not JSON, not an object, of an unknown type or breaking a record's rules becomes a {@link BadFrame} for the
 * session to answer. Other frame kinds (binary) pass on untouched for the session to refuse. Replies go out
 * through the pipeline; fan-out events are encoded once, frame header and all, by {@link #encodeOnce}, so every
 * frame the gateway writes is built in this file. Stateless; runs on the connection's event loop
 * ({@code encodeOnce}: on the caller's thread).
 */
@ChannelHandler.Sharable
final class EnvelopeCodec extends MessageToMessageCodec<WebSocketFrame, ServerMessage> {
    private final ObjectMapper json;

    EnvelopeCodec(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage msg, List<Object> out) throws IOException {
        ByteBuf buf = ctx.alloc().buffer();
        try (ByteBufOutputStream stream = new ByteBufOutputStream(buf)) {
            json.writeValue((java.io.OutputStream) stream, msg);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        out.add(new TextWebSocketFrame(buf));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (!(frame instanceof TextWebSocketFrame text)) {
            out.add(frame.retain());
            return;
        }
        out.add(read(text.content()));
    }

    /** A request record, or the {@link BadFrame} saying why there is none. */
    Object read(ByteBuf content) {
        JsonNode tree;
        try {
            tree = json.readTree((java.io.InputStream) new ByteBufInputStream(content.duplicate()));
        } catch (IOException e) {
            return new BadFrame(null, ErrorCode.INVALID_MESSAGE, "not JSON");
        }
        if (tree == null || !tree.isObject()) {
            return new BadFrame(null, ErrorCode.INVALID_MESSAGE, "a frame is one JSON object");
        }
        JsonNode idNode = tree.get("id");
        String id = idNode != null && idNode.isTextual() && idNode.textValue().length() <= ClientMessage.MAX_ID_CHARS
                ? idNode.textValue() : null;
        JsonNode type = tree.get("type");
        if (type == null || !type.isTextual()) {
            return new BadFrame(id, ErrorCode.INVALID_MESSAGE, "type: missing");
        }
        try {
            return json.treeToValue(tree, ClientMessage.class);
        } catch (InvalidTypeIdException e) {
            return new BadFrame(id, ErrorCode.UNSUPPORTED_TYPE, "type: " + clip(type.textValue()));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new BadFrame(id, ErrorCode.INVALID_MESSAGE, clip(String.valueOf(cause.getMessage())));
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return new BadFrame(id, ErrorCode.INVALID_MESSAGE, (field.isEmpty() ? "frame" : field) + ": wrong type or value");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new BadFrame(id, ErrorCode.INVALID_MESSAGE, "frame: cannot be read");
        }
    }

    /**
     * The whole WebSocket frame of {@code event}, header included, in one pooled direct buffer that the caller
     * releases. Server frames are not masked, so the bytes are the same for every recipient, and each write skips the
     * frame encoder (written as a plain buffer, it passes the WebSocket encoder and this codec untouched; TLS, when
     * on, still encrypts per connection below them). No extension is negotiated (the gateway allows none), so a
     * frame is exactly header + payload.
     */
    static ByteBuf encodeOnce(ObjectMapper json, ServerMessage event) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.type(), e);
        }
        return textFrame(payload);
    }

    /**
     * A final, unmasked text frame holding {@code payload} (RFC 6455, section 5.2):
     * <pre>
     *  byte 0: FIN=1, RSV=000, opcode=0x1 (text)             0x81
     *  byte 1: MASK=0, length 0..125                         | 126 + 2-byte length | 127 + 8-byte length
     *  then the payload, unmasked
     * </pre>
     */
    static ByteBuf textFrame(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(header + n);
        frame.writeByte(0x81);
        if (n < 126) {
            frame.writeByte(n);
        } else if (n < 65_536) {
            frame.writeByte(126).writeShort(n);
        } else {
            frame.writeByte(127).writeLong(n);
        }
        return frame.writeBytes(payload);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
