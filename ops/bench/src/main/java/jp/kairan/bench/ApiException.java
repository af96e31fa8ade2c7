package jp.kairan.bench;

/**
 * A failed API call: the server's stable error {@code code} (from the error body), or a code of the
 * bench's own for failures that never reached an answer ({@code timeout}, {@code connect_error},
 * {@code io_error}) or answers it did not expect ({@code unexpected_next_*}, {@code http_*}).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final boolean retryable;

    ApiException(int status, String code, String message, boolean retryable) {
        super(code + (status > 0 ? " (HTTP " + status + ")" : "") + (message == null ? "" : ": " + message));
        this.status = status;
        this.code = code;
        this.retryable = retryable;
    }

    /** The HTTP status, or 0 when there was no response. */
    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The server said retrying may help (429, 503 or {@code "retryable": true}). */
    boolean retryable() {
        return retryable;
    }
}
