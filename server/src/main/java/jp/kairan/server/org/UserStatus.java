package jp.kairan.server.org;

import java.util.Locale;
import java.util.Optional;

/** Whether a user may sign in. */
public enum UserStatus {
    ACTIVE, SUSPENDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<UserStatus> parse(String wire) {
        for (UserStatus s : values()) {
            if (s.wireName().equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
