package jp.kairan.server.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * HTTP server settings.
 *
 * @param host              bind address
 * @param port              port, 0 for any free port
 * @param maxBodyBytes      largest request body accepted
 * @param tlsKeystore       PKCS#12 keystore; present means the listener speaks TLS
 * @param tlsKeystorePassword its password (may be empty)
 * @param behindTlsProxy    a TLS proxy terminates HTTPS in front of us
 * @param trustForwardedFor take the client address from X-Forwarded-For
 * @param managementHost    bind address of the management listener
 * @param managementPort    port of the management listener ({@code /metrics}, health); empty: no such listener
 */
public record HttpConfig(String host, int port, int maxBodyBytes, Optional<Path> tlsKeystore,
                         String tlsKeystorePassword, boolean behindTlsProxy, boolean trustForwardedFor,
                         String managementHost, OptionalInt managementPort) {

    /** Whether clients reach us over TLS (ours or a proxy's): then HSTS is sent and cookies are Secure. */
    public boolean secureTransport() {
        return tlsKeystore.isPresent() || behindTlsProxy;
    }

    @Override
    public String toString() {
        return "HttpConfig[host=\"" + host + "\", port=" + port + ", maxBodyBytes=" + maxBodyBytes
                + ", tlsKeystore=" + tlsKeystore.map(p -> "\"" + p + "\"").orElse("none")
                + ", tlsKeystorePassword=" + (tlsKeystorePassword.isEmpty() ? "<empty>" : "<masked>")
                + ", behindTlsProxy=" + behindTlsProxy + ", trustForwardedFor=" + trustForwardedFor
                + ", managementHost=\"" + managementHost + "\", managementPort="
                + (managementPort.isPresent() ? Integer.toString(managementPort.getAsInt()) : "none") + "]";
    }
}
