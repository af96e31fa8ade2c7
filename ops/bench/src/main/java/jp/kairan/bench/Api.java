package jp.kairan.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The Kairan HTTP API v1 (protocol/HTTP-API.md) as the bench uses it: JSON in, JSON out, errors as
 * {@link ApiException} carrying the server's stable code. With a {@link DeviceKey}, every request carries a DPoP
 * proof signed by it ({@code DPoP} header, protocol/DEVICES.md) and the access token goes as
 * {@code Authorization: DPoP <token>}; the proof is signed just before the request is sent.
 */
final class Api {
    static final String PREFIX = "/api/v1";

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    Api(URI base, Duration timeout, Executor executor) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    URI base() {
        return base;
    }

    /** POST {@code /api/v1 + path} with a JSON body and a DPoP proof by {@code key} (if not null); blocks. */
    JsonNode post(String path, Object body, String accessToken, DeviceKey key) {
        return await(postAsync(path, body, accessToken, key));
    }

    /** GET {@code /api/v1 + path} with a DPoP proof by {@code key} (if not null); blocks. */
    JsonNode get(String path, String accessToken, DeviceKey key) {
        return await(sendRequest(builder("GET", PREFIX + path, accessToken, key).GET().build()));
    }

    /** PUT {@code /api/v1 + path} with a JSON body and a DPoP proof by {@code key}; blocks. */
    JsonNode put(String path, Object body, String accessToken, DeviceKey key) {
        return withBody("PUT", path, body, accessToken, key);
    }

    /** PATCH {@code /api/v1 + path} with a JSON body and a DPoP proof by {@code key}; blocks. */
    JsonNode patch(String path, Object body, String accessToken, DeviceKey key) {
        return withBody("PATCH", path, body, accessToken, key);
    }

    private JsonNode withBody(String method, String path, Object body, String accessToken, DeviceKey key) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise request body", e);
        }
        return await(sendRequest(builder(method, PREFIX + path, accessToken, key)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build()));
    }

    /** As {@link #post(String, Object, String, DeviceKey)}, for calls without token or key. */
    JsonNode post(String path, Object body) {
        return post(path, body, null, null);
    }

    /** As {@link #get(String, String, DeviceKey)}, for calls without token or key. */
    JsonNode get(String path) {
        return get(path, null, null);
    }

    /** GET of a path outside {@code /api/v1} (health), returning the status code; blocks. */
    int status(String absolutePath) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(absolutePath)).timeout(timeout).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw translate(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", null, false);
        }
    }

    CompletableFuture<JsonNode> postAsync(String path, Object body, String accessToken, DeviceKey key) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise request body", e);
        }
        HttpRequest request = builder("POST", PREFIX + path, accessToken, key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return sendRequest(request);
    }

    /** The URL a request to {@code /api/v1 + path} goes to, as its proof's {@code htu} names it. */
    String url(String path) {
        return base.resolve(PREFIX + path).toString();
    }

    /**
     * A POST request to {@code /api/v1 + path}, built (and its proof signed) now, to be sent later with
     * {@link #send(HttpRequest)}: what a bench times then excludes the signing.
     */
    HttpRequest preparePost(String path, Object body, String accessToken, DeviceKey key) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise request body", e);
        }
        return builder("POST", PREFIX + path, accessToken, key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    /** Sends a request built by {@link #preparePost}. */
    CompletableFuture<JsonNode> send(HttpRequest request) {
        return sendRequest(request);
    }

    private HttpRequest.Builder builder(String method, String path, String accessToken, DeviceKey key) {
        URI uri = base.resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json");
        if (key != null) {
            b.header("DPoP", key.proof(method, uri.toString(), accessToken, null));
        }
        if (accessToken != null) {
            if (key == null) {
                throw new IllegalArgumentException("An access token is used only with its device key's proof");
            }
            b.header("Authorization", "DPoP " + accessToken);
        }
        return b;
    }

    private CompletableFuture<JsonNode> sendRequest(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw translate(failure);
                    }
                    return parse(request, response);
                });
    }

    private JsonNode parse(HttpRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        JsonNode node = MissingNode.getInstance();
        if (body != null && !body.isBlank()) {
            try {
                node = json.readTree(body);
            } catch (JsonProcessingException e) {
                if (status < 400) {
                    throw new ApiException(status, "invalid_response_json",
                            request.method() + " " + request.uri().getPath() + " answered non-JSON", false);
                }
            }
        }
        if (status >= 200 && status < 300) {
            return node;
        }
        String code = node.path("code").asText("");
        if (code.isEmpty()) {
            code = "http_" + status;
        }
        boolean retryable = node.path("retryable").asBoolean(false) || status == 429 || status == 503;
        throw new ApiException(status, code, request.method() + " " + request.uri().getPath() + ": "
                + node.path("message").asText(""), retryable);
    }

    static ApiException translate(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiException) {
            return (ApiException) t;
        }
        if (t instanceof HttpTimeoutException) {
            return new ApiException(0, "timeout", t.getMessage(), true);
        }
        if (t instanceof ConnectException) {
            return new ApiException(0, "connect_error", t.getMessage(), true);
        }
        if (t instanceof IOException) {
            return new ApiException(0, "io_error", t.toString(), true);
        }
        return new ApiException(0, "client_error", t.toString(), false);
    }

    private static JsonNode await(CompletableFuture<JsonNode> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw translate(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", null, false);
        }
    }
}
