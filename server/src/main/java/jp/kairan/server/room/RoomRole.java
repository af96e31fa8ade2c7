package jp.kairan.server.room;

import java.util.Locale;
import java.util.Optional;

/** A member's role within one room (not to be confused with organization roles). */
public enum RoomRole {
    /** Created the room or was made owner: everything an admin does, and sets roles. */
    OWNER,
    /** Renames, archives, invites and removes members. */
    ADMIN,
    /** Talks. */
    MEMBER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean manages() {
        return this == OWNER || this == ADMIN;
    }

    public static Optional<RoomRole> parse(String wire) {
        for (RoomRole r : values()) {
            if (r.wireName().equals(wire)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
