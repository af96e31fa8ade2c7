package jp.kairan.protocol.api;

import java.util.List;

/**
 * What a client needs before it connects (no sign-in required).
 *
 * @param gatewayUrl   absolute WebSocket URL when configured ({@code gateway.public-url}), else null: then the
 *                     client uses its page's host with {@code gatewayPort} and {@code gatewayPath}
 * @param gatewayPort  the gateway's port
 * @param gatewayPath  the WebSocket path ({@code /ws})
 * @param gatewayTls   whether the gateway itself speaks TLS
 * @param subprotocols protocol versions the server speaks, newest first
 */
public record ClientConfig(String gatewayUrl, int gatewayPort, String gatewayPath, boolean gatewayTls,
                           List<String> subprotocols) {
}
