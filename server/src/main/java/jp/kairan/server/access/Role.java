package jp.kairan.server.access;

import java.util.Locale;
import java.util.Optional;

/** What a user may do. {@link #OPERATOR} is server-wide; the others hold within the user's organization. */
public enum Role {
    /** Runs the server, creates organizations; reads no talk content, ever. */
    OPERATOR,
    /** Everything an admin does, grants every role, may read every talk of the org. */
    OWNER,
    /** Users, departments, devices, room policies. */
    ADMIN,
    /** Head of the user's own department (所属長). */
    DEPT_HEAD,
    /** Exports retained logs. */
    AUDITOR,
    /** Staff. */
    MEMBER;

    /** The wire name, e.g. {@code dept_head}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether only owners may grant or take away this role. */
    public boolean ownerGranted() {
        return this == OWNER || this == ADMIN || this == AUDITOR;
    }

    /** Parses a wire name; empty for unknown names and for {@code operator}, which no API grants. */
    public static Optional<Role> parseOrgRole(String wire) {
        for (Role r : values()) {
            if (r != OPERATOR && r.wireName().equals(wire)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
