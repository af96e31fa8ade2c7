package jp.kairan.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import com.fasterxml.jackson.databind.ObjectWriter;
import jp.kairan.protocol.Authenticate;
import jp.kairan.protocol.ClientMessage;
import jp.kairan.protocol.DeviceRevoked;
import jp.kairan.protocol.ErrorReply;
import jp.kairan.protocol.Hello;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.SessionReady;
import jp.kairan.protocol.ProtocolVersion;

/**
 * One gateway connection of the revocation bench, on the JDK's WebSocket client: answers the server's
 * {@code hello} with {@code session.authenticate} (token and a DPoP proof over the nonce, signed on arrival), then
 * only records when {@code session.ready}, {@code device.revoked} and the close arrive ({@link System#nanoTime()}).
 * Pings are answered by the JDK. Fields are written by the client's threads and read after the futures complete.
 */
final class Conn implements WebSocket.Listener {
    private static final ObjectMapper JSON = Json.mapper();
    private static final ObjectWriter AUTHENTICATE = JSON.writerFor(ClientMessage.class);
    static final long NEVER = Long.MIN_VALUE;

    final int index;
    final RevocationBench.Device device;
    private final String gatewayUrl;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    volatile long openNanos = NEVER;
    volatile long readyNanos = NEVER;
    volatile long revokedFrameNanos = NEVER;
    volatile long closeNanos = NEVER;
    volatile int closeCode;
    volatile String closeReason = "";
    volatile String failure;
    /** Whether this connection's device is being revoked (so that its close is expected). */
    volatile boolean target;

    Conn(int index, RevocationBench.Device device, String gatewayUrl) {
        this.index = index;
        this.device = device;
        this.gatewayUrl = gatewayUrl;
    }

    void open(HttpClient client, URI url) {
        openNanos = System.nanoTime();
        client.newWebSocketBuilder().subprotocols(ProtocolVersion.V1).buildAsync(url, this).whenComplete((ws, e) -> {
            if (e != null) {
                fail("connect: " + rootCause(e));
                closed.complete(null);
            }
        });
    }

    /** Drops the connection without a close handshake (end of the run). */
    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        String frame;
        synchronized (partial) {
            partial.append(data);
            if (!last) {
                return null;
            }
            frame = partial.toString();
            partial.setLength(0);
        }
        JsonNode node;
        try {
            node = JSON.readTree(frame);
        } catch (JsonProcessingException e) {
            return null;
        }
        switch (node.path("type").asText("")) {
            case Hello.TYPE -> {
                if (readyNanos == NEVER) {
                    String nonce = node.path("nonce").asText("");
                    String proof = device.key.proof("GET", gatewayUrl, device.token, nonce);
                    try {
                        webSocket.sendText(AUTHENTICATE.writeValueAsString(new Authenticate("auth", device.token, proof)), true);
                    } catch (JsonProcessingException e) {
                        fail("cannot write authenticate: " + e);
                    }
                }
            }
            case SessionReady.TYPE -> {
                if (readyNanos == NEVER) {
                    readyNanos = now;
                    ready.complete(null);
                }
            }
            case DeviceRevoked.TYPE -> {
                if (revokedFrameNanos == NEVER) {
                    revokedFrameNanos = now;
                }
            }
            case ErrorReply.TYPE -> {
                if (readyNanos == NEVER) {
                    fail("error " + node.path("code").asText("?"));
                }
            }
            default -> {
                // presence, room events: not this bench's business
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeNanos = System.nanoTime();
        closeCode = statusCode;
        closeReason = reason == null ? "" : reason;
        fail("closed " + statusCode + " " + closeReason);
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (closeNanos == NEVER) {
            closeNanos = System.nanoTime();
            closeCode = -1;
            closeReason = "error " + rootCause(error);
        }
        fail("error " + rootCause(error));
        closed.complete(null);
    }

    private void fail(String why) {
        if (!ready.isDone()) {
            failure = why;
            ready.completeExceptionally(new IllegalStateException(why));
        }
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
