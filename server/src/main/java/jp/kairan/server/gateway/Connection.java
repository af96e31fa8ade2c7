package jp.kairan.server.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.Set;
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
    void close(int code, String reason) {
        closeChannel(channel, code, reason);
    }

    /**
     * Sends a close frame with {@code code} and the error code as reason and lets the peer answer it (the
     * WebSocket closing handshake, after which the protocol handler closes the socket); a peer that does not
     * answer, or cannot because it does not read, is cut off after a second. Any thread.
     */
    static void closeChannel(Channel channel, int code, String reason) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, 1, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", user=" + userId + "]";
    }
}
