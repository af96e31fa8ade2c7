package jp.kairan.server.device;

/**
 * Who must act when a device is revoked: caches drop it, the gateway closes its connections. Called after the
 * revocation committed, on the thread that made it; listeners hand long work to their own threads.
 */
@FunctionalInterface
public interface DeviceEvents {
    void deviceRevoked(DeviceRevocation revocation);
}
