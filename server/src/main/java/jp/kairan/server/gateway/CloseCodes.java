package jp.kairan.server.gateway;

/** WebSocket close codes the gateway uses (see PROTOCOL.md, "Close codes"). */
final class CloseCodes {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int UNAUTHENTICATED = 4001;
    static final int SESSION_ENDED = 4003;
    static final int DEVICE_REVOKED = 4004;
    static final int SLOW_CONSUMER = 4008;

    private CloseCodes() {
    }
}
