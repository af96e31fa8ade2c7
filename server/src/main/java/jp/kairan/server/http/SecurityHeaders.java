package jp.kairan.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Adds the security headers to every response, pages and API alike: a strict Content-Security-Policy (no inline
 * script or style), no framing, no MIME sniffing, no referrer, and HSTS when clients reach us over TLS.
 * API responses are never cached.
 */
final class SecurityHeaders implements HttpHandler {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self' ws: wss:; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'; object-src 'none'";
    private static final HttpString CSP_HEADER = new HttpString("Content-Security-Policy");
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString FRAME = new HttpString("X-Frame-Options");
    private static final HttpString REFERRER = new HttpString("Referrer-Policy");
    private static final HttpString PERMISSIONS = new HttpString("Permissions-Policy");
    private static final HttpString COOP = new HttpString("Cross-Origin-Opener-Policy");
    private static final HttpString CORP = new HttpString("Cross-Origin-Resource-Policy");

    private final HttpHandler next;
    private final boolean hsts;

    SecurityHeaders(HttpHandler next, boolean hsts) {
        this.next = next;
        this.hsts = hsts;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap h = exchange.getResponseHeaders();
        h.put(CSP_HEADER, CSP);
        h.put(NOSNIFF, "nosniff");
        h.put(FRAME, "DENY");
        h.put(REFERRER, "no-referrer");
        h.put(PERMISSIONS, "camera=(), microphone=(), geolocation=(), payment=()");
        h.put(COOP, "same-origin");
        h.put(CORP, "same-origin");
        if (hsts) {
            h.put(Headers.STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
        }
        String path = exchange.getRequestPath();
        if (path.startsWith("/api/") || path.startsWith("/health") || path.startsWith("/metrics")) {
            h.put(Headers.CACHE_CONTROL, "no-store");
        }
        next.handleRequest(exchange);
    }
}
