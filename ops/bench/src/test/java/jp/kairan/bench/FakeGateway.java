package jp.kairan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import jp.kairan.protocol.Authenticate;
import jp.kairan.protocol.ClientMessage;
import jp.kairan.protocol.Hello;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.MessageAck;
import jp.kairan.protocol.MessagePosted;
import jp.kairan.protocol.MessageView;
import jp.kairan.protocol.ProtocolVersion;
import jp.kairan.protocol.SendMessage;
import jp.kairan.protocol.ServerMessage;
import jp.kairan.protocol.SessionReady;

/**
 * A stand-in for the gateway, just enough of PROTOCOL.md for the bench's own test: it sends {@code hello} with a
 * nonce first and refuses a {@code session.authenticate} whose proof does not carry that nonce (the signature is
 * not checked: the server's DpopVerifier does that); the token is the user id,
 * {@code message.send} is acked with the room's next seq and posted to every connection in the room. Rooms are
 * given up front. Optionally drops every {@code dropEvery}-th delivery, to see the bench notice.
 */
final class FakeGateway implements AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, String> roomOfUser;
    private final Map<String, List<Channel>> channelsOfRoom = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seqOfRoom = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final long dropEvery;
    private final Channel server;

    FakeGateway(Map<String, String> roomOfUser, long dropEvery) throws InterruptedException {
        this.roomOfUser = roomOfUser;
        this.dropEvery = dropEvery;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws", ProtocolVersion.V1), new Session());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws");
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
    }

    private final class Session extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final String nonce = "n" + System.nanoTime();
        private String userId;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                write(ctx.channel(), new Hello(nonce));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
            ClientMessage message = JSON.readValue(frame.text(), ClientMessage.class);
            if (message instanceof Authenticate auth) {
                String proof = auth.proof() == null ? "" : auth.proof();
                String claims = proof.split("\\.").length == 3
                        ? new String(Base64.getUrlDecoder().decode(proof.split("\\.")[1]), StandardCharsets.UTF_8) : "";
                if (!JSON.readTree(claims.isEmpty() ? "{}" : claims).path("nonce").asText("").equals(nonce)) {
                    ctx.close();
                    return;
                }
                userId = auth.token();
                channelsOfRoom.computeIfAbsent(roomOfUser.get(userId), r -> new CopyOnWriteArrayList<>()).add(ctx.channel());
                write(ctx.channel(), new SessionReady(auth.id(), "c-" + userId, userId, "1", Instant.now(),
                        Instant.now().plusSeconds(3600), 65536, "n2-" + userId));
            } else if (message instanceof SendMessage send) {
                long seq;
                MessagePosted posted;
                synchronized (seqOfRoom.computeIfAbsent(send.roomId(), r -> new AtomicLong())) {
                    seq = seqOfRoom.get(send.roomId()).incrementAndGet();
                    posted = new MessagePosted(send.roomId(), new MessageView("m" + seq, send.roomId(), seq, userId,
                            "bench", send.text(), Instant.now(), null, false, null, null, false, null));
                    write(ctx.channel(), new MessageAck(send.id(), send.roomId(), "m" + seq, seq, Instant.now(), false));
                    for (Channel member : channelsOfRoom.get(send.roomId())) {
                        if (dropEvery == 0 || deliveries.incrementAndGet() % dropEvery != 0) {
                            write(member, posted);
                        }
                    }
                }
            }
        }

        private void write(Channel channel, ServerMessage message) throws Exception {
            channel.writeAndFlush(new TextWebSocketFrame(JSON.writerFor(ServerMessage.class).writeValueAsString(message)));
        }
    }
}
