package jp.kairan.protocol.api;

/**
 * A signed-in session. The refresh token travels only in the HttpOnly cookie.
 *
 * @param accessToken short-lived JWT for {@code Authorization: DPoP}, bound to the device key
 * @param tokenType   always {@code DPoP}
 * @param expiresIn   seconds until the access token expires
 * @param user        who is signed in
 */
public record Session(String accessToken, String tokenType, long expiresIn, Me user) {
}
