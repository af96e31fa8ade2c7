package jp.kairan.server.device;

import java.util.List;

/**
 * A device was revoked and the revocation committed. Told to every {@link DeviceEvents} listener of the node; the
 * cluster bus will carry the same record to the other nodes.
 *
 * @param deviceId the device
 * @param userId   whose device
 * @param sessions the sign-in sessions (refresh families) that ended with it
 */
public record DeviceRevocation(long deviceId, long userId, List<Long> sessions) {
    public DeviceRevocation {
        sessions = List.copyOf(sessions);
    }
}
