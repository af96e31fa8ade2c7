package jp.kairan.server.org;

import java.util.Locale;
import java.util.Optional;

/** Second factors an organization may allow. */
public enum Factor {
    /** RFC 6238 authenticator app. */
    TOTP,
    /** Code mailed to the address registered in advance. */
    EMAIL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Factor> parse(String wire) {
        for (Factor f : values()) {
            if (f.wireName().equals(wire)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
