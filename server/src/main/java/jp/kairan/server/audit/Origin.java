package jp.kairan.server.audit;

/**
 * Where a request came from, for audit events and logs.
 *
 * @param ip        client address (from the socket, or X-Forwarded-For when trusted); may be null for the CLI
 * @param requestId the request's id, echoed to the client as X-Request-Id; may be null
 */
public record Origin(String ip, String requestId) {
    /** The origin of commands run on the server's own command line. */
    public static final Origin COMMAND_LINE = new Origin("cli", null);
}
