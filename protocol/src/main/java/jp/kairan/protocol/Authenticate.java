package jp.kairan.protocol;

/**
 * {@code session.authenticate}: must be the first frame of a connection; may be sent again with a fresh access
 * token (same user) before the current one expires. Answered with {@link SessionReady}.
 *
 * @param id    request id
 * @param token access token from the HTTP sign-in
 * @param proof DPoP proof by the device key over the connection's current nonce (DEVICES.md, "Gateway")
 */
public record Authenticate(String id, String token, String proof) implements ClientMessage {
    public static final String TYPE = "session.authenticate";
    public static final int MAX_TOKEN_CHARS = 4096;
    public static final int MAX_PROOF_CHARS = 2048;

    public Authenticate {
        FrameRules.requestId(id);
        FrameRules.text(token, "token", MAX_TOKEN_CHARS);
        FrameRules.text(proof, "proof", MAX_PROOF_CHARS);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "Authenticate[id=" + id + ", token=<masked>, proof=<masked>]";
    }
}
