package jp.kairan.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.ApiError;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.access.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes API requests to {@link ApiHandler}s and does what every API request needs: a request id (also in the
 * logging context), off-I/O-thread dispatch, JSON in and out, error translation, {@code Cache-Control:
 * no-store}, a latency timer per route template and one access-log line. Unknown routes and methods get JSON
 * errors too. Thread-safe.
 */
final class ApiRouter {
    private static final Logger accessLog = LoggerFactory.getLogger("kairan.http");
    static final String REQUEST_ID = "X-Request-Id";

    private final RoutingHandler routing = new RoutingHandler();
    private final ObjectMapper json;
    private final Sessions sessions;
    private final MeterRegistry metrics;
    private final int maxBodyBytes;
    private final boolean trustForwardedFor;
    private final boolean secureTransport;

    ApiRouter(ObjectMapper json, Sessions sessions, MeterRegistry metrics, int maxBodyBytes, boolean trustForwardedFor,
              boolean secureTransport) {
        this.secureTransport = secureTransport;
        this.json = json;
        this.sessions = sessions;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.trustForwardedFor = trustForwardedFor;
        routing.setFallbackHandler(ex -> error(ex, ErrorCode.NOT_FOUND));
        routing.setInvalidMethodHandler(ex -> error(ex, ErrorCode.METHOD_NOT_ALLOWED));
    }

    ApiRouter get(String template, ApiHandler h) {
        return add("GET", template, h);
    }

    ApiRouter post(String template, ApiHandler h) {
        return add("POST", template, h);
    }

    ApiRouter put(String template, ApiHandler h) {
        return add("PUT", template, h);
    }

    ApiRouter patch(String template, ApiHandler h) {
        return add("PATCH", template, h);
    }

    ApiRouter delete(String template, ApiHandler h) {
        return add("DELETE", template, h);
    }

    private ApiRouter add(String method, String template, ApiHandler h) {
        Timer timer = metrics == null ? null : Timer.builder("kairan.http.requests").tag("method", method)
                .tag("route", template).publishPercentileHistogram(false).register(metrics);
        routing.add(method, template, exchange -> run(exchange, h, timer));
        return this;
    }

    /** The handler for all API paths. Dispatches to a worker thread before routing. */
    HttpHandler handler() {
        return exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(routing);
            } else {
                routing.handleRequest(exchange);
            }
        };
    }

    private void run(HttpServerExchange exchange, ApiHandler h, Timer timer) {
        // From when the request was parsed (RECORD_REQUEST_START_TIME), so time queued for a worker counts too.
        long start = exchange.getRequestStartTime() > 0 ? exchange.getRequestStartTime() : System.nanoTime();
        String requestId = requestId(exchange);
        MDC.put("requestId", requestId);
        ApiRequest req = new ApiRequest(exchange, json, sessions, maxBodyBytes, new Origin(clientAddress(exchange), requestId),
                secureTransport);
        try {
            exchange.startBlocking();
            Object result;
            try {
                result = h.handle(req);
            } catch (Exception e) {
                ApiError body = Errors.toBody(e, requestId);
                write(exchange, Errors.status(body), body);
                return;
            }
            if (result == null) {
                exchange.setStatusCode(204);
                exchange.endExchange();
            } else if (result instanceof ApiHandler.Created c) {
                write(exchange, 201, c.body());
            } else if (result instanceof FileResponse f) {
                sendFile(exchange, f);
            } else if (result instanceof RawResponse raw) {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, raw.contentType());
                exchange.getResponseSender().send(raw.body(), StandardCharsets.UTF_8);
            } else if (result instanceof Streamed streamed) {
                stream(exchange, streamed);
            } else {
                write(exchange, 200, result);
            }
        } catch (RuntimeException e) {
            ApiError body = Errors.toBody(e, requestId);
            if (!exchange.isResponseStarted()) {
                write(exchange, Errors.status(body), body);
            }
        } finally {
            long nanos = System.nanoTime() - start;
            if (timer != null) {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }
            Principal p = req.principalIfKnown();
            // A client that hung up gets no answer; say so rather than count a status nobody received.
            String status = exchange.getConnection().isOpen() ? Integer.toString(exchange.getStatusCode()) : "aborted";
            accessLog.info("{} {} status={} ms={} user={} ip={}", exchange.getRequestMethod(), exchange.getRequestPath(),
                    status, nanos / 1_000_000, p == null ? "-" : p.userId(), req.origin().ip());
            MDC.remove("requestId");
        }
    }

    private void error(HttpServerExchange exchange, ErrorCode code) {
        ApiError body = Errors.body(code, requestId(exchange), null);
        write(exchange, code.httpStatus(), body);
    }

    private void write(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (Exception e) {
            status = 500;
            bytes = ("{\"code\":\"internal_error\",\"message\":\"" + ErrorCode.INTERNAL_ERROR.message() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
    }

    /** The request id, made once per exchange and echoed in {@value #REQUEST_ID}. */
    static String requestId(HttpServerExchange exchange) {
        HttpString header = HttpString.tryFromString(REQUEST_ID);
        String id = exchange.getResponseHeaders().getFirst(header);
        if (id == null) {
            id = Errors.newRequestId();
            exchange.getResponseHeaders().put(header, id);
        }
        return id;
    }

    private String clientAddress(HttpServerExchange exchange) {
        if (trustForwardedFor) {
            String xff = exchange.getRequestHeaders().getLast("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                String[] hops = xff.split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty() && last.length() <= 45) {
                    return last;
                }
            }
        }
        InetSocketAddress a = exchange.getSourceAddress();
        return a == null || a.getAddress() == null ? "?" : a.getAddress().getHostAddress();
    }

    /** A non-JSON body (JWKS, Prometheus text). */
    record RawResponse(String contentType, String body) {
    }

    /**
     * A 200 response written piece by piece (exports), never held whole in memory. The handler checks everything
     * that can fail cleanly before it returns this: once {@code body} has begun, an error can only cut the
     * response short.
     */
    record Streamed(String contentType, java.util.Map<String, String> headers, Body body) {
        @FunctionalInterface
        interface Body {
            void write(java.io.OutputStream out) throws java.io.IOException;
        }
    }

    private static void stream(HttpServerExchange exchange, Streamed streamed) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, streamed.contentType());
        streamed.headers().forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        java.io.OutputStream out = exchange.getOutputStream();
        try {
            streamed.body().write(out);
            out.close();
        } catch (java.io.IOException | RuntimeException e) {
            // Cut the connection rather than end the body properly, so that a client never takes a partial download
            // for a complete one. A client that went away is not an error; a failure of ours is (run() logs it).
            org.xnio.IoUtils.safeClose(exchange.getConnection());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            accessLog.debug("{} {}: streamed response cut short: {}", exchange.getRequestMethod(), exchange.getRequestPath(),
                    e.toString());
        }
    }
    private static void sendFile(HttpServerExchange exchange, FileResponse f) {
        try {
            exchange.startBlocking();
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, f.contentType());
            exchange.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"" + f.fileName() + "\"");
            exchange.setResponseContentLength(java.nio.file.Files.size(f.path()));
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(f.path())) {
                in.transferTo(exchange.getOutputStream());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A file streamed as an attachment (an export archive). */
    record FileResponse(java.nio.file.Path path, String contentType, String fileName) {
    }
}
