package jp.kairan.server.device;

import java.util.Locale;

/**
 * Where a device stands. {@link #PENDING} waits for an approver; only {@link #APPROVED} devices get tokens;
 * {@link #REJECTED} and {@link #REVOKED} are final: the key never comes back, the browser must register anew.
 */
public enum DeviceStatus {
    PENDING, APPROVED, REJECTED, REVOKED;

    /** The wire and column name, e.g. {@code pending}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the device can never be used again. */
    public boolean terminal() {
        return this == REJECTED || this == REVOKED;
    }

    static DeviceStatus parse(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** A filter value from a query string; empty for unknown values. */
    static java.util.Optional<DeviceStatus> parseFilter(String wire) {
        for (DeviceStatus s : values()) {
            if (s.wireName().equals(wire)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
