package jp.kairan.protocol;

import java.util.List;

/**
 * Versions of the WebSocket protocol. The version is negotiated once, at the WebSocket handshake, with the
 * subprotocol header ({@code Sec-WebSocket-Protocol: kairan.v1}); frames carry no version. Within a version
 * the protocol only grows: new optional fields and new frame types. A breaking change is a new version.
 */
public final class ProtocolVersion {
    /** The version this build speaks best. */
    public static final int CURRENT = 1;
    /** The subprotocol name of {@link #CURRENT}. */
    public static final String V1 = "kairan.v1";
    /** Every subprotocol the server accepts, newest first. */
    public static final List<String> SUBPROTOCOLS = List.of(V1);

    private ProtocolVersion() {
    }

    /** The first subprotocol of a comma-separated {@code Sec-WebSocket-Protocol} offer that we speak, or null. */
    public static String choose(String offered) {
        if (offered == null) {
            return null;
        }
        for (String p : offered.split(",")) {
            String name = p.strip();
            if (SUBPROTOCOLS.contains(name)) {
                return name;
            }
        }
        return null;
    }
}
