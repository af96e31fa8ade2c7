package jp.kairan.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.Ok;
import jp.kairan.protocol.SendMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Text frames in, records (or {@link BadFrame}s) out; records in, text frames out. No sockets. */
class EnvelopeCodecTest {
    private final ObjectMapper json = Json.mapper();
    private final EmbeddedChannel channel = new EmbeddedChannel(new EnvelopeCodec(json));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private Object decode(String text) {
        channel.writeInbound(new TextWebSocketFrame(text));
        return channel.readInbound();
    }

    @Test
    void aGoodFrameBecomesItsRecord() {
        Object read = decode("{\"type\":\"message.send\",\"id\":\"c-1\",\"roomId\":\"42\",\"text\":\"こんにちは\"}");

        assertThat(read).isInstanceOf(SendMessage.class);
        SendMessage send = (SendMessage) read;
        assertThat(send.id()).isEqualTo("c-1");
        assertThat(send.roomId()).isEqualTo("42");
        assertThat(send.text()).isEqualTo("こんにちは");
    }

    @Test
    void textThatIsNotJsonBecomesABadFrameWithoutId() {
        assertThat(decode("{not json")).isEqualTo(new BadFrame(null, ErrorCode.INVALID_MESSAGE, "not JSON"));
    }

    @Test
    void jsonThatIsNotAnObjectBecomesABadFrame() {
        assertThat(decode("[1,2]")).isEqualTo(new BadFrame(null, ErrorCode.INVALID_MESSAGE, "a frame is one JSON object"));
    }

    @Test
    void aFrameWithoutTypeBecomesABadFrameNamingItsId() {
        assertThat(decode("{\"id\":\"c-2\"}")).isEqualTo(new BadFrame("c-2", ErrorCode.INVALID_MESSAGE, "type: missing"));
    }

    @Test
    void anUnknownTypeBecomesUnsupportedType() {
        assertThat(decode("{\"type\":\"room.teleport\",\"id\":\"c-3\"}"))
                .isEqualTo(new BadFrame("c-3", ErrorCode.UNSUPPORTED_TYPE, "type: room.teleport"));
    }

    @Test
    void aTextOverTheLimitBecomesAnInvalidMessage() {
        String text = "あ".repeat(SendMessage.MAX_TEXT_CHARS + 1);
        Object read = decode("{\"type\":\"message.send\",\"id\":\"c-4\",\"roomId\":\"42\",\"text\":\"" + text + "\"}");

        assertThat(read).isInstanceOf(BadFrame.class);
        BadFrame bad = (BadFrame) read;
        assertThat(bad.re()).isEqualTo("c-4");
        assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(bad.detail()).contains("text");
    }

    @Test
    void anOversizedIdIsNotEchoed() {
        String id = "x".repeat(65);
        Object read = decode("{\"type\":\"message.send\",\"id\":\"" + id + "\",\"roomId\":\"42\",\"text\":\"a\"}");

        assertThat(read).isInstanceOf(BadFrame.class);
        assertThat(((BadFrame) read).re()).isNull();
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        Object read = decode("{\"type\":\"message.send\",\"id\":\"c-5\",\"roomId\":\"42\",\"text\":\"a\",\"mentions\":\"7\"}");

        assertThat(read).isEqualTo(new BadFrame("c-5", ErrorCode.INVALID_MESSAGE, "mentions: wrong type or value"));
    }

    @Test
    void binaryFramesPassOnForTheSessionToRefuse() {
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        Object read = channel.readInbound();

        assertThat(read).isInstanceOf(BinaryWebSocketFrame.class);
        ((BinaryWebSocketFrame) read).release();
    }

    @Test
    void aReplyBecomesOneTextFrameOfJson() throws Exception {
        channel.writeOutbound(new Ok("c-6"));
        TextWebSocketFrame frame = channel.readOutbound();
        JsonNode reply = json.readTree(frame.text());
        frame.release();

        assertThat(reply.path("type").asText()).isEqualTo("ok");
        assertThat(reply.path("re").asText()).isEqualTo("c-6");
    }

    @Test
    void encodeOnceIsAWholeTextFrameOfTheSameJson() throws Exception {
        ByteBuf frame = EnvelopeCodec.encodeOnce(json, new Ok("c-7"));
        byte[] payload = json.writeValueAsBytes(new Ok("c-7"));

        assertThat(frame.getUnsignedByte(0)).isEqualTo((short) 0x81);
        assertThat(frame.getUnsignedByte(1)).isEqualTo((short) payload.length);
        assertThat(frame.toString(2, frame.readableBytes() - 2, StandardCharsets.UTF_8))
                .isEqualTo(new String(payload, StandardCharsets.UTF_8));
        frame.release();
    }
}
