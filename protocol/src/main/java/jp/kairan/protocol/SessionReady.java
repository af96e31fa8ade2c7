package jp.kairan.protocol;

import java.time.Instant;

/**
 * {@code session.ready}: the reply to {@link Authenticate}. From now on the connection receives the events of
 * every room the user is a member of.
 *
 * @param re             the request id
 * @param connectionId   this connection, for support
 * @param userId         the user
 * @param orgId          the user's organization
 * @param serverTime     the server's clock
 * @param tokenExpiresAt when the access token expires: send {@code session.authenticate} with a fresh token
 *                       before then, or the connection closes with 4001
 * @param maxFrameBytes  largest frame the server accepts
 * @param nonce          the nonce the next {@code session.authenticate} proof on this connection must carry
 */
public record SessionReady(String re, String connectionId, String userId, String orgId, Instant serverTime,
                           Instant tokenExpiresAt, int maxFrameBytes, String nonce) implements ServerMessage {
    public static final String TYPE = "session.ready";

    @Override
    public String type() {
        return TYPE;
    }
}
