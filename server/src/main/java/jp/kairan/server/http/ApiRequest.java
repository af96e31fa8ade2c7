package jp.kairan.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Deque;
import java.util.Locale;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.auth.ProofRequest;
import jp.kairan.server.auth.Sessions;
import jp.kairan.server.org.Fields;
import jp.kairan.server.access.Principal;

/**
 * One API request as endpoints see it: the parsed body, path and query parameters, the authenticated
 * principal and the origin for audit. Lives on one worker thread for one request; not thread-safe.
 */
final class ApiRequest {
    static final io.undertow.util.HttpString DPOP = io.undertow.util.HttpString.tryFromString("DPoP");
    private final HttpServerExchange exchange;
    private final ObjectMapper json;
    private final Sessions sessions;
    private final int maxBodyBytes;
    private final Origin origin;
    private final boolean secureTransport;
    private Principal principal;
    private Sessions.Authenticated authenticated;
    private byte[] raw;

    ApiRequest(HttpServerExchange exchange, ObjectMapper json, Sessions sessions, int maxBodyBytes, Origin origin,
               boolean secureTransport) {
        this.exchange = exchange;
        this.secureTransport = secureTransport;
        this.json = json;
        this.sessions = sessions;
        this.maxBodyBytes = maxBodyBytes;
        this.origin = origin;
    }

    /** The JSON body as {@code type}; {@code invalid_json}, {@code unsupported_media_type} or {@code body_too_large}. */
    <T> T body(Class<T> type) throws IOException {
        byte[] bytes = rawBody();
        if (bytes.length == 0) {
            throw new KairanException(ErrorCode.INVALID_JSON, "a JSON body is required");
        }
        T value = json.readValue(bytes, type);
        if (value == null) {
            throw new KairanException(ErrorCode.INVALID_JSON, "the body is null");
        }
        return value;
    }

    /** The body bytes, checked for type and size; empty when there is none. */
    byte[] rawBody() throws IOException {
        if (raw == null) {
            raw = readBody();
        }
        return raw;
    }

    private byte[] readBody() throws IOException {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBodyBytes) {
            throw new KairanException(ErrorCode.BODY_TOO_LARGE, "declared " + declared + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = exchange.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBodyBytes) {
                    throw new KairanException(ErrorCode.BODY_TOO_LARGE, "body over " + maxBodyBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
        if (out.size() > 0) {
            String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
                throw new KairanException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "content type " + type);
            }
        }
        return out.toByteArray();
    }

    /**
     * The signed-in user: {@code Authorization: DPoP <token>} with a {@code DPoP} proof for this request by the
     * token's device. {@code unauthenticated} without a token (or with a {@code Bearer} one), {@code dpop_invalid}
     * without a valid proof, {@code device_revoked} for a revoked device.
     */
    Principal principal() {
        if (principal == null) {
            String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            if (header == null || header.length() > 4096) {
                throw new KairanException(ErrorCode.UNAUTHENTICATED, "no access token");
            }
            if (!header.regionMatches(true, 0, "DPoP ", 0, 5)) {
                throw new KairanException(ErrorCode.UNAUTHENTICATED, "access tokens are sent as 'Authorization: DPoP <token>'");
            }
            authenticated = sessions.authenticate(header.substring(5).strip(), proof());
            principal = authenticated.user().principal();
        }
        return principal;
    }

    /** The device of the signed-in user's request (after {@link #principal()}). */
    long deviceId() {
        principal();
        return authenticated.deviceId();
    }

    /** The request's DPoP proof (maybe absent) with what it must name: this method and URL. */
    ProofRequest proof() {
        String proof = exchange.getRequestHeaders().getFirst(DPOP);
        return new ProofRequest(proof, exchange.getRequestMethod().toString(), requestUrl(), null, origin.ip());
    }

    /** The URL the client addressed, without the query: scheme (https behind a TLS proxy), Host and path. */
    String requestUrl() {
        String scheme = secureTransport ? "https" : exchange.getRequestScheme();
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (host == null) {
            host = exchange.getHostAndPort();
        }
        return scheme + "://" + host + exchange.getRequestPath();
    }

    /** The browser's user agent, or null. */
    String userAgent() {
        return exchange.getRequestHeaders().getFirst(Headers.USER_AGENT);
    }

    /** The principal if already authenticated, for logs. */
    Principal principalIfKnown() {
        return principal;
    }

    Origin origin() {
        return origin;
    }

    /** A decimal id from the path; {@code not_found} when malformed. */
    long pathId(String name) {
        return Fields.id(pathParam(name), name);
    }

    /**
     * A path template value. Undertow's router appends these to the query parameters; a request that also sends
     * the same name in its query string is ambiguous and treated as naming nothing.
     */
    String pathParam(String name) {
        Deque<String> v = exchange.getQueryParameters().get(name);
        return v == null || v.size() != 1 ? null : v.peekFirst();
    }

    /** A query parameter or null. */
    String query(String name) {
        Deque<String> v = exchange.getQueryParameters().get(name);
        return v == null ? null : v.peekFirst();
    }

    /** A cookie's value or null. */
    String cookie(String name) {
        for (Cookie c : exchange.requestCookies()) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    HttpServerExchange exchange() {
        return exchange;
    }
}
