package jp.kairan.server.store;

/** The database executor's queue is full; the request may be retried shortly. */
public final class ServerBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerBusyException(String message) {
        super(message);
    }
}
