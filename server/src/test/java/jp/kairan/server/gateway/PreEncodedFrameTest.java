package jp.kairan.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frames fan-out encodes once are byte for byte what Netty's server-side encoder writes, at every length class. */
class PreEncodedFrameTest {

    @Test
    void matchesNettysEncoderForShortMediumAndLongPayloads() {
        for (int length : new int[] {0, 1, 125, 126, 127, 1_000, 65_535, 65_536, 70_000}) {
            byte[] payload = "あ".repeat(length / 3 + 1).getBytes(StandardCharsets.UTF_8);
            byte[] exact = java.util.Arrays.copyOf(payload, length);
            ByteBuf ours = EnvelopeCodec.textFrame(exact);
            EmbeddedChannel netty = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
            netty.writeOutbound(new TextWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(exact)));
            ByteBuf theirs = io.netty.buffer.Unpooled.buffer();
            for (Object o; (o = netty.readOutbound()) != null; ) {
                ByteBuf part = (ByteBuf) o;
                theirs.writeBytes(part);
                part.release();
            }
            assertThat(io.netty.buffer.ByteBufUtil.getBytes(ours)).as("length %d", length)
                    .isEqualTo(io.netty.buffer.ByteBufUtil.getBytes(theirs));
            ours.release();
            netty.finishAndReleaseAll();
        }
    }
}
