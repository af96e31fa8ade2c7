package jp.kairan.server.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.SetPresence;

/**
 * One authenticated WebSocket connection, as the registry sees it. The identity fields are fixed once
 * registered; presence is written on the connection's event loop and read anywhere.
 */
final class Connection {
    /** Set on a channel once the server has begun closing it: no more events, and no second close frame. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("kairan.closing");

    final String id;
    final Channel channel;
    final long userId;
    final long orgId;
    final long sessionId;
    final long deviceId;
    private final Runnable recheck;
    private final Runnable revoked;
    private volatile String presence = SetPresence.ONLINE;
    private volatile Set<Long> following = Set.of();

    Connection(String id, Channel channel, long userId, long orgId, long sessionId, long deviceId, Runnable recheck,
               Runnable revoked) {
        this.deviceId = deviceId;
        this.revoked = revoked;
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

    Set<Long> following() {
        return following;
    }

    void following(Set<Long> userIds) {
        this.following = Set.copyOf(userIds);
    }

    /** Asks the session to re-check its user and session (roles, suspension, sign-out). */
    void recheck() {
        recheck.run();
    }

    /** Its device was revoked: tell the client to wipe, then close (4004). Any thread. */
    void revoked() {
        revoked.run();
    }

    /** See {@link #closeChannel}. */
    boolean close(int code, String reason) {
        return closeChannel(channel, code, reason);
    }

    /** Whether the server has begun closing this connection (it then gets no more events). */
    boolean closing() {
        return closing(channel);
    }

    static boolean closing(Channel channel) {
        return channel.hasAttr(CLOSING) && Boolean.TRUE.equals(channel.attr(CLOSING).get());
    }

    /**
     * Sends a close frame with {@code code} and the error code as reason and lets the peer answer it (the
     * WebSocket closing handshake, after which the protocol handler closes the socket); a peer that does not
     * answer, or cannot because it does not read, is cut off after a second. Once per channel: only the first
     * call sends a frame and returns true, so the caller logs and counts the close once. Any thread.
     */
    static boolean closeChannel(Channel channel, int code, String reason) {
        return closeChannel(channel, code, reason, Duration.ofSeconds(1));
    }

    /** As {@link #closeChannel(Channel, int, String)}, cutting the peer off after {@code grace}. */
    static boolean closeChannel(Channel channel, int code, String reason, Duration grace) {
        if (!channel.isActive() || channel.attr(CLOSING).getAndSet(Boolean.TRUE) != null) {
            return false;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * Closes a slow consumer with 4008: no more events, the close frame queued behind what it has not read, and
     * the socket closed once that frame is written (the client read everything before it) or after {@code grace}.
     */
    static boolean closeSlowConsumer(Channel channel, String reason, Duration grace) {
        if (!channel.isActive() || channel.attr(CLOSING).getAndSet(Boolean.TRUE) != null) {
            return false;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(CloseCodes.SLOW_CONSUMER, reason)).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", user=" + userId + "]";
    }
}
