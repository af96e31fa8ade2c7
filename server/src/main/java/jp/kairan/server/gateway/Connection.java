package jp.kairan.server.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.SetPresence;

/**
 * One authenticated WebSocket connection, as the registry sees it. The identity fields are fixed once
 * registered; presence is written on the connection's event loop and read anywhere.
 */
final class Connection {
    final String id;
    final Channel channel;
    final long userId;
    final long orgId;
    final long sessionId;
    private final Runnable recheck;
    private volatile String presence = SetPresence.ONLINE;

    Connection(String id, Channel channel, long userId, long orgId, long sessionId, Runnable recheck) {
        this.id = id;
        this.channel = channel;
        this.userId = userId;
        this.orgId = orgId;
        this.sessionId = sessionId;
        this.recheck = recheck;
    }

    String presence() {
        return presence;
    }

    void presence(String status) {
        this.presence = status;
    }

    /** Asks the session to re-check its user and session (roles, suspension, sign-out). */
    void recheck() {
        recheck.run();
    }

    /**
     * Sends a close frame with {@code code} and the error code as reason, then closes; a peer that does not
     * read is cut off after a second anyway. Any thread.
     */
    void close(int code, String reason) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, 1, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", user=" + userId + "]";
    }
}
