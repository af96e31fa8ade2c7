package jp.kairan.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;

/**
 * Serves the built web client from the classpath ({@code webapp/}, packaged from client-web). Hashed assets are
 * cached for a year; {@code index.html} is revalidated every time so a new release is picked up at once.
 */
final class StaticFiles {
    private StaticFiles() {
    }

    /** Whether the web client is in this build (a server-only build has none). */
    static boolean present() {
        return StaticFiles.class.getClassLoader().getResource("webapp/index.html") != null;
    }

    static HttpHandler handler(HttpHandler notFound) {
        ResourceHandler files = new ResourceHandler(new ClassPathResourceManager(StaticFiles.class.getClassLoader(), "webapp"), notFound)
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false);
        return exchange -> {
            String path = exchange.getRequestPath();
            if (path.startsWith("/assets/")) {
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=31536000, immutable");
            } else {
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            }
            files.handleRequest(exchange);
        };
    }
}
