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
    private static final String CSP_BEFORE_CONNECT = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' ";
    private static final String CSP_AFTER_CONNECT = "; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
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
    private final String fixedGateway;
    private final String gatewayScheme;
    private final int gatewayPort;

    /**
     * @param gatewayUrl  the gateway's public URL when configured ({@code gateway.public-url}), else null
     * @param gatewayTls  whether the gateway itself speaks TLS
     * @param gatewayPort the gateway's port, used with the request's host when there is no public URL
     */
    SecurityHeaders(HttpHandler next, boolean hsts, String gatewayUrl, boolean gatewayTls, int gatewayPort) {
        this.next = next;
        this.hsts = hsts;
        this.fixedGateway = gatewayUrl == null ? null : origin(gatewayUrl);
        this.gatewayScheme = gatewayTls ? "wss" : "ws";
        this.gatewayPort = gatewayPort;
    }

    /**
     * The policy for this request. {@code connect-src} allows the page's own origin and the WebSocket gateway:
     * its public URL's origin, or the host the browser asked for with the gateway's port, exactly as the web
     * client builds the URL (ws: and wss: in general would let injected script talk to any socket anywhere).
     */
    String policy(String requestHost) {
        String gateway = fixedGateway;
        if (gateway == null) {
            String host = hostOnly(requestHost);
            gateway = host == null ? "" : gatewayScheme + "://" + host + ":" + gatewayPort;
        }
        return CSP_BEFORE_CONNECT + gateway + CSP_AFTER_CONNECT;
    }

    /** The host of a Host header ("[::1]:8080", "chat.example:8080", "chat.example"); null when it is not plain. */
    static String hostOnly(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank() || !hostHeader.matches("[A-Za-z0-9.\\-:\\[\\]]{1,255}")) {
            return null;
        }
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? null : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    private static String origin(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap h = exchange.getResponseHeaders();
        h.put(CSP_HEADER, policy(exchange.getRequestHeaders().getFirst(Headers.HOST)));
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
