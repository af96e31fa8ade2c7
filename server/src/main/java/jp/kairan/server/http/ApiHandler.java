package jp.kairan.server.http;

/**
 * One API endpoint. Runs on a worker thread (it may block); returns the response body — a record to be written
 * as JSON, {@link Created} for 201, or null for 204 — or throws; exceptions are translated by {@link Errors}.
 */
@FunctionalInterface
interface ApiHandler {
    Object handle(ApiRequest request) throws Exception;

    /** A 201 response with {@code body}. */
    record Created(Object body) {
    }
}
