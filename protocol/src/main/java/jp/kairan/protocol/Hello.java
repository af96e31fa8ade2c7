package jp.kairan.protocol;

/**
 * {@code hello}: the server's first frame on every connection. The client's {@code session.authenticate} must carry
 * a DPoP proof over {@code nonce} (see {@code DEVICES.md}), so a proof recorded elsewhere cannot open a connection.
 *
 * @param nonce random, base64url, single use
 */
public record Hello(String nonce) implements ServerMessage {
    public static final String TYPE = "hello";

    @Override
    public String type() {
        return TYPE;
    }
}
