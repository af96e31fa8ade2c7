package jp.kairan.protocol;

/**
 * {@code device.revoked}: this device was revoked (reported lost, or revoked by an administrator). The
 * connection closes with 4004 right after. The client erases everything it keeps locally, confirms the wipe and
 * shows the sign-in screen (see {@code DEVICES.md}, "Remote wipe").
 *
 * @param wipe always true in v1: erase local data
 */
public record DeviceRevoked(boolean wipe) implements ServerMessage {
    public static final String TYPE = "device.revoked";

    @Override
    public String type() {
        return TYPE;
    }
}
