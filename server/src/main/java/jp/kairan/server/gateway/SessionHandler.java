package jp.kairan.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.AddReaction;
import jp.kairan.protocol.Authenticate;
import jp.kairan.protocol.ClientMessage;
import jp.kairan.protocol.DeleteMessage;
import jp.kairan.protocol.DeviceRevoked;
import jp.kairan.protocol.Hello;
import jp.kairan.protocol.EditMessage;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.ErrorReply;
import jp.kairan.protocol.FetchHistory;
import jp.kairan.protocol.MarkRead;
import jp.kairan.protocol.MessageAck;
import jp.kairan.protocol.Ok;
import jp.kairan.protocol.RemoveReaction;
import jp.kairan.protocol.SendMessage;
import jp.kairan.protocol.ServerMessage;
import jp.kairan.protocol.SessionReady;
import jp.kairan.protocol.SetPresence;
import jp.kairan.protocol.SubscribePresence;
import jp.kairan.protocol.PresenceState;
import jp.kairan.protocol.StartTyping;
import jp.kairan.protocol.SyncMessages;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.auth.ProofRequest;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.message.Messages;
import jp.kairan.server.access.Principal;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.org.UserStatus;
import jp.kairan.server.store.DatabaseUnavailableException;
import jp.kairan.server.store.ServerBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One per connection: authenticates it, then turns request records into service calls and results into
 * replies. State lives in plain fields and is touched only on the channel's event loop; service futures hop
 * back with {@code ctx.executor()} before reading or writing it. Nothing here blocks: authentication runs on
 * {@link GatewayServices#blocking()}, everything else returns futures.
 *
 * <p>The first frame must be {@code session.authenticate}; anything else first closes with 1008. The access
 * token's expiry bounds the connection: without a fresh {@code session.authenticate} it closes with 4001 when
 * the token expires. Sign-out, suspension and role changes reach the connection through
 * {@link Connection#recheck()}.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    private static final long TYPING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final GatewayServices services;
    private final String connectionId;
    private ChannelHandlerContext ctx;
    private Origin origin;
    private Principal principal;
    private String displayName;
    private Connection connection;
    private boolean authenticating;
    private ScheduledFuture<?> authDeadline;
    private ScheduledFuture<?> expiry;
    private ScheduledFuture<?> slowConsumer;
    private int idleIntervals;
    /** The nonce the next authenticate proof must carry; a new one after each success. */
    private String nonce;
    /** The URL the proof must name (htu). */
    private String gatewayUrl;
    private final Map<String, Long> lastTyping = new HashMap<>();

    SessionHandler(GatewayServices services, String connectionId) {
        this.services = services;
        this.connectionId = connectionId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress().getHostAddress() : "?";
        this.origin = new Origin(ip, connectionId);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            gatewayUrl = services.config().publicUrl().orElseGet(() -> (services.config().tls() ? "wss://" : "ws://")
                    + handshake.requestHeaders().get(io.netty.handler.codec.http.HttpHeaderNames.HOST, "localhost")
                    + HandshakeGuard.PATH);
            nonce = services.newNonce();
            reply(new Hello(nonce));
            Duration timeout = services.config().authTimeout();
            authDeadline = ctx.executor().schedule(() -> {
                if (principal == null && !authenticating) {
                    log.info("{} closed: no session.authenticate within {} ms", connectionId, timeout.toMillis());
                    services.closed("auth_timeout");
                    close(CloseCodes.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED.code());
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // Fired every ping interval while nothing arrives: ping, and give up once the idle timeout is reached.
            // Reading, not writing, is what counts: a member who only receives still answers pings.
            idleIntervals = idle.isFirst() ? 1 : idleIntervals + 1;
            Duration silent = services.config().pingInterval().multipliedBy(idleIntervals);
            if (silent.compareTo(services.config().idleTimeout()) >= 0) {
                log.info("{} closed: nothing received for {} s", connectionId, silent.toSeconds());
                services.closed("idle_timeout");
                close(CloseCodes.GOING_AWAY, "idle_timeout");
            } else {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            close(CloseCodes.UNSUPPORTED_DATA, ErrorCode.INVALID_MESSAGE.code());
            return;
        }
        if (principal == null) {
            if (msg instanceof Authenticate auth && !authenticating) {
                authenticate(auth);
            } else {
                close(CloseCodes.POLICY_VIOLATION, ErrorCode.UNAUTHENTICATED.code());
            }
            return;
        }
        if (msg instanceof BadFrame bad) {
            reply(ErrorReply.of(bad.re(), bad.code(), bad.detail()));
            return;
        }
        dispatch((ClientMessage) msg);
    }

    private void dispatch(ClientMessage msg) {
        // Every command passes this connection's event loop: the service continues its CPU work there, never on a
        // database thread. Replies are written through the channel, which is safe from the thread a future completes on.
        Messages messages = services.messages();
        EventExecutor loop = ctx.executor();
        if (msg instanceof SendMessage send) {
            if (!services.sendLimiter().tryAcquire(principal.userId(), System.nanoTime())) {
                reply(ErrorReply.of(send.id(), ErrorCode.RATE_LIMITED, "at most " + services.config().sendsPerSecond() + " per second"));
                return;
            }
            answer(send.id(), messages.send(principal, displayName, send, origin, loop).thenApply(s -> new MessageAck(send.id(),
                    send.roomId(), s.message().id(), s.message().seq(), s.message().sentAt(), s.duplicate())));
        } else if (msg instanceof SyncMessages sync) {
            answer(sync.id(), messages.sync(principal, sync, loop));
        } else if (msg instanceof MarkRead read) {
            answer(read.id(), messages.markRead(principal, read, loop).thenApply(v -> new Ok(read.id())));
        } else if (msg instanceof StartTyping typing) {
            typing(typing);
        } else if (msg instanceof FetchHistory history) {
            answer(history.id(), messages.history(principal, history, loop));
        } else if (msg instanceof EditMessage edit) {
            answer(edit.id(), messages.edit(principal, edit, origin, loop).thenApply(v -> new Ok(edit.id())));
        } else if (msg instanceof DeleteMessage delete) {
            answer(delete.id(), messages.delete(principal, delete, origin, loop).thenApply(v -> new Ok(delete.id())));
        } else if (msg instanceof AddReaction r) {
            answer(r.id(), messages.react(principal, r.roomId(), r.messageId(), r.emoji(), true, loop).thenApply(v -> new Ok(r.id())));
        } else if (msg instanceof RemoveReaction r) {
            answer(r.id(), messages.react(principal, r.roomId(), r.messageId(), r.emoji(), false, loop).thenApply(v -> new Ok(r.id())));
        } else if (msg instanceof SetPresence presence) {
            services.registry().presence().set(connection, presence.status());
            reply(new Ok(presence.id()));
        } else if (msg instanceof SubscribePresence sub) {
            Set<Long> ids = new HashSet<>();
            sub.userIds().forEach(u -> ids.add(Long.parseLong(u)));
            reply(new PresenceState(sub.id(), services.registry().presence().follow(connection, ids)));
        } else if (msg instanceof Authenticate auth) {
            if (!authenticating) {
                authenticate(auth);
            }
        }
    }

    /** Typing frames beyond one per second per room are dropped without an answer. */
    private void typing(StartTyping typing) {
        long now = System.nanoTime();
        Long last = lastTyping.get(typing.roomId());
        if (last != null && now - last < TYPING_INTERVAL_NANOS) {
            return;
        }
        if (lastTyping.size() > 1000) {
            lastTyping.clear();
        }
        lastTyping.put(typing.roomId(), now);
        answer(typing.id(), services.messages().typing(principal, typing.roomId(), ctx.executor()).thenApply(v -> null));
    }

    /** Writes the future's reply, or the error it failed with. A null reply writes nothing. */
    private void answer(String re, CompletableFuture<? extends ServerMessage> future) {
        future.whenComplete((reply, error) -> {
            if (error != null) {
                reply(errorReply(re, error));
            } else if (reply != null) {
                reply(reply);
            }
        });
    }

    private ErrorReply errorReply(String re, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof KairanException k) {
            return ErrorReply.of(re, k.code(), k.detail() != null ? k.detail() : k.field(), k.findings());
        }
        if (cause instanceof ServerBusyException) {
            return ErrorReply.of(re, ErrorCode.SERVER_BUSY, null);
        }
        if (cause instanceof DatabaseUnavailableException) {
            // The outage is logged once by the database, not per request.
            return ErrorReply.of(re, ErrorCode.DATABASE_UNAVAILABLE, null);
        }
        String incident = Long.toString(System.nanoTime() & 0xffffffffL, 36);
        log.error("{} request {} failed (incident {})", connectionId, re, incident, cause);
        return ErrorReply.of(re, ErrorCode.INTERNAL_ERROR, "incident " + incident);
    }

    private void authenticate(Authenticate auth) {
        authenticating = true;
        if (authDeadline != null) {
            // The client kept its side; how long the token check takes under load is ours.
            authDeadline.cancel(false);
        }
        CompletableFuture<Sessions.Authenticated> who;
        try {
            ProofRequest proof = new ProofRequest(auth.proof(), "GET", gatewayUrl, nonce, origin.ip());
            who = CompletableFuture.supplyAsync(() -> services.sessions().authenticate(auth.token(), proof), services.blocking());
        } catch (RejectedExecutionException e) {
            who = CompletableFuture.failedFuture(new ServerBusyException("token checks are queued up"));
        }
        who.whenComplete((identity, error) -> ctx.executor().execute(() -> authenticated(auth, identity, error)));
    }

    private void authenticated(Authenticate auth, Sessions.Authenticated who, Throwable error) {
        authenticating = false;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (error != null) {
            ErrorReply reply = errorReply(auth.id(), error);
            if (reply.code() == ErrorCode.DEVICE_REVOKED) {
                reply(reply);
                revoked();
                return;
            }
            if (reply.code() == ErrorCode.DPOP_INVALID) {
                // A proof is good once: the next attempt (on a connection we keep) needs a new nonce.
                nonce = services.newNonce();
            }
            reply(reply);
            if (principal == null || reply.code() != ErrorCode.SERVER_BUSY) {
                close(reply.code() == ErrorCode.ACCOUNT_DISABLED ? CloseCodes.SESSION_ENDED : CloseCodes.UNAUTHENTICATED, reply.code().code());
            }
            return;
        }
        UserProfile user = who.user();
        if (user.orgId() == null) {
            reply(ErrorReply.of(auth.id(), ErrorCode.FORBIDDEN, "the operator takes no part in talks"));
            close(CloseCodes.SESSION_ENDED, ErrorCode.FORBIDDEN.code());
            return;
        }
        if (connection != null && (connection.userId != user.id() || connection.sessionId != who.sessionId()
                || connection.deviceId != who.deviceId())) {
            close(CloseCodes.POLICY_VIOLATION, ErrorCode.FORBIDDEN.code());
            return;
        }
        principal = user.principal();
        displayName = user.displayName();
        if (authDeadline != null) {
            authDeadline.cancel(false);
        }
        if (connection == null) {
            connection = new Connection(connectionId, ctx.channel(), user.id(), user.orgId(), who.sessionId(), who.deviceId(),
                    this::recheckLater, () -> ctx.executor().execute(this::revoked));
            services.registry().register(connection);
            MDC.put("userId", Long.toString(user.id()));
            log.debug("{} authenticated as user {}", connectionId, user.id());
            MDC.remove("userId");
        }
        scheduleExpiry(who.expiresAt());
        nonce = services.newNonce();
        reply(new SessionReady(auth.id(), connectionId, Long.toString(user.id()), Long.toString(user.orgId()),
                services.clock().instant(), who.expiresAt(), services.config().maxFrameBytes(), nonce));
    }

    /** On the event loop: the device is revoked. Tells the client to wipe, then closes with 4004. */
    private void revoked() {
        if (!ctx.channel().isActive()) {
            return;
        }
        log.info("{} closed: device revoked", connectionId);
        services.closed("device_revoked");
        reply(new DeviceRevoked(true));
        close(CloseCodes.DEVICE_REVOKED, ErrorCode.DEVICE_REVOKED.code());
    }

    private void scheduleExpiry(Instant expiresAt) {
        if (expiry != null) {
            expiry.cancel(false);
        }
        long millis = Math.max(0, Duration.between(services.clock().instant(), expiresAt).toMillis());
        expiry = ctx.executor().schedule(() -> close(CloseCodes.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED.code()),
                millis, TimeUnit.MILLISECONDS);
    }

    /** From any thread: re-reads the user and session off the event loop, then applies the answer on it. */
    private void recheckLater() {
        Connection c = connection;
        try {
            CompletableFuture.supplyAsync(() -> services.sessions().current(c.userId, c.sessionId), services.blocking())
                    .whenComplete((user, error) -> ctx.executor().execute(() -> rechecked(user, error)));
        } catch (RejectedExecutionException e) {
            log.warn("{} could not re-check its session: queue full", connectionId);
        }
    }

    private void rechecked(Optional<UserProfile> user, Throwable error) {
        if (error != null) {
            log.warn("{} could not re-check its session: {}", connectionId, error.toString());
            return;
        }
        if (user.isEmpty() || user.get().status() != UserStatus.ACTIVE) {
            close(CloseCodes.SESSION_ENDED, user.isEmpty() ? ErrorCode.UNAUTHENTICATED.code() : ErrorCode.ACCOUNT_DISABLED.code());
            return;
        }
        principal = user.get().principal();
        displayName = user.get().displayName();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable()) {
            if (slowConsumer == null) {
                long grace = services.config().slowConsumerGrace().toMillis();
                slowConsumer = ctx.executor().schedule(() -> {
                    if (!ctx.channel().isWritable() && Connection.closeSlowConsumer(ctx.channel(),
                            ErrorCode.SLOW_CONSUMER.code(), Duration.ofSeconds(2))) {
                        services.closed("slow_consumer");
                        log.info("{} closed: unwritable for {} ms (slow consumer)", connectionId, grace);
                    }
                }, grace, TimeUnit.MILLISECONDS);
            }
        } else if (slowConsumer != null) {
            slowConsumer.cancel(false);
            slowConsumer = null;
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {authDeadline, expiry, slowConsumer}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        if (connection != null) {
            services.registry().unregister(connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            close(CloseCodes.MESSAGE_TOO_BIG, ErrorCode.FRAME_TOO_LARGE.code());
            return;
        }
        if (cause instanceof IOException) {
            log.debug("{} I/O error: {}", connectionId, cause.toString());
        } else {
            log.warn("{} failed, closing: {}", connectionId, cause.toString());
        }
        ctx.close();
    }

    private void reply(ServerMessage msg) {
        ctx.channel().writeAndFlush(msg, ctx.channel().voidPromise());
    }

    private void close(int code, String reason) {
        Connection.closeChannel(ctx.channel(), code, reason);
    }
}
