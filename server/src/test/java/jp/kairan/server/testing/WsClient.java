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
    private final LinkedBlockingQueue<JsonNode> received;
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed;
    private int counter;

    private final String url;
    /** The nonce the next authenticate proof must carry: from hello, then from each session.ready. */
    private String nonce;

    private WsClient(WebSocket ws, String url, Listener listener) {
        this.ws = ws;
        this.url = url;
        this.received = listener.received;
        this.closed = listener.closed;
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
        return new WsClient(ws, url, listener);
    }

    /** Connects and authenticates; fails unless session.ready comes back. */
    public static WsClient signedIn(String url, String accessToken) {
        WsClient c = connect(url);
        JsonNode ready = c.authenticate(accessToken);
        if (!"session.ready".equals(ready.path("type").asText())) {
            throw new AssertionError("not ready: " + ready);
        }
        return c;
    }

    /** The nonce to prove over next: the one of {@code hello} (awaited) or of the last {@code session.ready}. */
    public synchronized String nonce() {
        if (nonce == null) {
            nonce = awaitType("hello").path("nonce").asText();
        }
        return nonce;
    }

    /**
     * Sends {@code session.authenticate} with a proof by the token's device over the current nonce and returns the
     * reply; a {@code session.ready} reply's nonce is kept for the next time.
     */
    public JsonNode authenticate(String accessToken) {
        DeviceKey key = DeviceKey.forToken(accessToken);
        if (key == null) {
            throw new IllegalArgumentException("no device known for this token");
        }
        return authenticate(accessToken, key.proof("GET", url, accessToken, nonce()));
    }

    /** Sends {@code session.authenticate} with the given proof and returns the reply. */
    public JsonNode authenticate(String accessToken, String proof) {
        JsonNode reply = request(java.util.Map.of("type", "session.authenticate", "id", nextId(), "token", accessToken, "proof", proof));
        synchronized (this) {
            nonce = reply.path("nonce").isTextual() ? reply.path("nonce").asText() : nonce;
        }
        return reply;
    }

    public String url() {
        return url;
    }

    /** A listener that reads the first frame (the hello) into {@code first} and then nothing more. */
    public static WebSocket.Listener readingOnlyTheFirstFrame(CompletableFuture<String> first) {
        return new WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        };
    }

    /** The text of an authenticate frame for {@code accessToken} on a connection whose first frame was {@code helloJson}. */
    public static String authenticateFrame(String accessToken, String url, String helloJson) {
        try {
            String nonce = JSON.readTree(helloJson).path("nonce").asText();
            return JSON.writeValueAsString(java.util.Map.of("type", "session.authenticate", "id", "a", "token", accessToken,
                    "proof", DeviceKey.forToken(accessToken).proof("GET", url, accessToken, nonce)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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

    /** Receives from the first frame on (the server speaks first: hello), before the client object exists. */
    private static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError("server sent non-JSON: " + partial, e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
