package jp.kairan.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jp.kairan.protocol.Json;

/**
 * A WebSocket client for tests, on the JDK's own client: sends frames, collects every received frame as JSON,
 * and remembers how the connection closed.
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocket ws;
    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private int counter;

    private WsClient(WebSocket ws) {
        this.ws = ws;
    }

    /** Connects with subprotocol kairan.v1 and no Origin. */
    public static WsClient connect(String url) {
        return connect(url, null, "kairan.v1");
    }

    public static WsClient connect(String url, String origin, String subprotocol) {
        Listener listener = new Listener();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (subprotocol != null) {
            b.subprotocols(subprotocol);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        WebSocket ws = b.buildAsync(URI.create(url), listener).orTimeout(10, TimeUnit.SECONDS).join();
        WsClient c = new WsClient(ws);
        listener.client = c;
        return c;
    }

    /** Connects and authenticates; fails unless session.ready comes back. */
    public static WsClient signedIn(String url, String accessToken) {
        WsClient c = connect(url);
        JsonNode ready = c.request("{\"type\":\"session.authenticate\",\"id\":\"auth\",\"token\":\"" + accessToken + "\"}");
        if (!"session.ready".equals(ready.path("type").asText())) {
            throw new AssertionError("not ready: " + ready);
        }
        return c;
    }

    /** Sends raw text. */
    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends a frame object (a record or a map). */
    public void send(Object frame) {
        try {
            sendText(JSON.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends {@code frameJson} (which must carry an id) and returns the reply that names it in {@code re}. */
    public JsonNode request(String frameJson) {
        String id;
        try {
            id = JSON.readTree(frameJson).path("id").asText();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        sendText(frameJson);
        return await(f -> id.equals(f.path("re").asText(null)));
    }

    /** Sends a frame given as a map-like object with an id and returns its reply. */
    public JsonNode request(Object frame) {
        try {
            return request(JSON.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh request id. */
    public String nextId() {
        return "t" + (++counter);
    }

    /** The first frame (already received or arriving within 10 s) matching {@code p}; it is consumed. */
    public synchronized JsonNode await(Predicate<JsonNode> p) {
        for (JsonNode f : seen) {
            if (p.test(f)) {
                seen.remove(f);
                return f;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode f = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f == null) {
                    break;
                }
                if (p.test(f)) {
                    return f;
                }
                seen.add(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no matching frame within " + WAIT + "; unmatched: " + seen);
    }

    /** The first frame of this type. */
    public JsonNode awaitType(String type) {
        return await(f -> type.equals(f.path("type").asText()));
    }

    /** Every frame received within {@code window}, in order, matching {@code p} (consumed). */
    public synchronized List<JsonNode> collect(Predicate<JsonNode> p, Duration window) {
        List<JsonNode> out = new ArrayList<>();
        seen.removeIf(f -> {
            if (p.test(f)) {
                out.add(f);
                return true;
            }
            return false;
        });
        long deadline = System.nanoTime() + window.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                JsonNode f = received.poll(left, TimeUnit.NANOSECONDS);
                if (f == null) {
                    break;
                }
                if (p.test(f)) {
                    out.add(f);
                } else {
                    seen.add(f);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The close code the server sent, waiting up to 10 s. */
    public int closeCode() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        ws.abort();
    }

    /** Abandons the connection without a close handshake (a lost network). */
    public void abort() {
        ws.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        volatile WsClient client;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            WsClient c = client;
            while (c == null) {
                Thread.onSpinWait();
                c = client;
            }
            c.partial.append(data);
            if (last) {
                try {
                    c.received.add(JSON.readTree(c.partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError("server sent non-JSON: " + c.partial, e);
                } finally {
                    c.partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            WsClient c = client;
            if (c != null) {
                c.closed.complete(statusCode);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            WsClient c = client;
            if (c != null) {
                c.closed.complete(-1);
            }
        }
    }
}
