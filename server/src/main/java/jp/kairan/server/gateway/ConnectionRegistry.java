package jp.kairan.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.ServerMessage;
import jp.kairan.protocol.api.PresenceEntry;
import jp.kairan.server.room.Membership;
import jp.kairan.server.room.RoomEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is connected to this node, and fan-out to them. Each event is encoded once, WebSocket frame header and
 * all, into one direct buffer; every recipient connection gets a retained duplicate of the same bytes.
 *
 * <p>Slow consumers: a connection whose outbound buffer holds more than {@code hardLimitBytes} when an event
 * is delivered is closed at once with 4008 {@code slow_consumer}; one that stays unwritable for the grace period
 * is closed by its session handler. Either way a connection is closed, logged and counted once, gets no event
 * after its close frame, and its socket closes once that frame is written or a short grace later. Nothing is buffered without limit, and nothing is lost: a client that was
 * cut off fetches what it missed with {@code message.sync}.
 *
 * <p>Threads: {@link #toRoom} and {@link #toUsers} run on the caller's thread (a writer lane for
 * {@code message.posted}, an event loop for most other events) and only encode and hand off; each event loop then
 * writes to its own connections. Presence is {@link Presence}'s. Thread-safe.
 */
public final class ConnectionRegistry implements RoomEvents {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final ObjectMapper json;
    private final long hardLimitBytes;
    private final Duration slowConsumerGrace;
    private final Map<Long, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<Long, Set<Connection>> byOrg = new ConcurrentHashMap<>();
    private final Presence presence = new Presence(this);
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter deliveries;
    private final Counter slowConsumers;

    public ConnectionRegistry(ObjectMapper json, int writeBufferHighBytes, MeterRegistry metrics) {
        this(json, writeBufferHighBytes, Duration.ofSeconds(2), metrics);
    }

    /** {@code slowConsumerGrace}: how long a slow consumer's close frame may take to be written before the socket closes. */
    public ConnectionRegistry(ObjectMapper json, int writeBufferHighBytes, Duration slowConsumerGrace, MeterRegistry metrics) {
        this.json = json;
        this.slowConsumerGrace = slowConsumerGrace;
        this.hardLimitBytes = 4L * writeBufferHighBytes;
        Gauge.builder("kairan.gateway.connections", connections, AtomicInteger::get)
                .description("Authenticated WebSocket connections").register(metrics);
        this.deliveries = Counter.builder("kairan.gateway.deliveries").description("Events written to connections").register(metrics);
        this.slowConsumers = Counter.builder("kairan.gateway.closes").description("Connections the server closed, by reason")
                .tag("reason", "slow_consumer_limit").register(metrics);
    }

    void register(Connection c) {
        byUser.computeIfAbsent(c.userId, k -> ConcurrentHashMap.newKeySet()).add(c);
        byOrg.computeIfAbsent(c.orgId, k -> ConcurrentHashMap.newKeySet()).add(c);
        connections.incrementAndGet();
        presence.mayHaveChanged(c.userId, c.orgId);
    }

    void unregister(Connection c) {
        Set<Connection> mine = byUser.get(c.userId);
        if (mine == null || !mine.remove(c)) {
            return;
        }
        byUser.computeIfPresent(c.userId, (k, set) -> set.isEmpty() ? null : set);
        Set<Connection> org = byOrg.get(c.orgId);
        if (org != null) {
            org.remove(c);
            byOrg.computeIfPresent(c.orgId, (k, set) -> set.isEmpty() ? null : set);
        }
        connections.decrementAndGet();
        presence.follow(c, Set.of());
        presence.mayHaveChanged(c.userId, c.orgId);
    }

    /** The organization's users who are online or away on this node. */
    public List<PresenceEntry> presence(long orgId) {
        return presence.of(byOrg.getOrDefault(orgId, Set.of()).stream().map(c -> c.userId).distinct().toList());
    }

    /** Presence of the users connected here: follow, set, changes. */
    Presence presence() {
        return presence;
    }

    /** The user's connections on this node (empty when none); a live view. */
    Set<Connection> connectionsOf(long userId) {
        return byUser.getOrDefault(userId, Set.of());
    }

    /** Asks every connection of {@code userId} to re-check its session (after a sign-out, suspension or role change). */
    public void userChanged(long userId) {
        byUser.getOrDefault(userId, Set.of()).forEach(Connection::recheck);
    }

    /** A device was revoked: each of its connections gets {@code device.revoked} and closes with 4004. Never blocks. */
    public void deviceRevoked(jp.kairan.server.device.DeviceRevocation revocation) {
        for (Connection c : byUser.getOrDefault(revocation.userId(), Set.of())) {
            if (c.deviceId == revocation.deviceId()) {
                c.revoked();
            }
        }
    }

    /** Closes every connection with {@code code} (server shutdown). */
    void closeAll(int code, String reason) {
        byUser.values().forEach(set -> set.forEach(c -> c.close(code, reason)));
    }

    @Override
    public void toRoom(Membership room, ServerMessage event) {
        toUsers(room.memberIds(), event);
    }

    @Override
    public void toUsers(Collection<Long> userIds, ServerMessage event) {
        List<Connection> targets = new ArrayList<>();
        for (long userId : userIds) {
            Set<Connection> mine = byUser.get(userId);
            if (mine != null) {
                targets.addAll(mine);
            }
        }
        toConnections(targets, event);
    }

    /**
     * Encodes once and hands each event loop one task that writes the same bytes to all its connections: a
     * room of 20 costs one task per loop, not one per member. Tasks from one thread run in submission order
     * on each loop, so each connection sees one caller's events in call order.
     */
    void toConnections(Collection<Connection> targets, ServerMessage event) {
        if (targets.isEmpty()) {
            return;
        }
        ByteBuf encoded = EnvelopeCodec.encodeOnce(json, event);
        try {
            Map<EventLoop, List<Connection>> byLoop = new IdentityHashMap<>();
            for (Connection c : targets) {
                byLoop.computeIfAbsent(c.channel.eventLoop(), k -> new ArrayList<>(targets.size())).add(c);
            }
            for (Map.Entry<EventLoop, List<Connection>> e : byLoop.entrySet()) {
                ByteBuf shared = encoded.retainedDuplicate();
                List<Connection> batch = e.getValue();
                try {
                    e.getKey().execute(() -> {
                        try {
                            batch.forEach(c -> deliver(c, shared));
                        } finally {
                            shared.release();
                        }
                    });
                } catch (RejectedExecutionException shuttingDown) {
                    shared.release();
                }
            }
        } finally {
            encoded.release();
        }
    }

    /** On the connection's event loop. */
    private void deliver(Connection c, ByteBuf encoded) {
        Channel ch = c.channel;
        if (!ch.isActive() || c.closing()) {
            return;
        }
        if (!ch.isWritable()) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            long pending = out == null ? 0 : out.totalPendingWriteBytes();
            if (pending > hardLimitBytes) {
                if (Connection.closeSlowConsumer(ch, ErrorCode.SLOW_CONSUMER.code(), slowConsumerGrace)) {
                    slowConsumers.increment();
                    log.info("{} closed: {} bytes queued, over the limit (slow consumer)", c, pending);
                }
                return;
            }
        }
        ch.writeAndFlush(encoded.retainedDuplicate(), ch.voidPromise());
        deliveries.increment();
    }
}
