package jp.kairan.server.policy;

import java.util.Optional;

/**
 * The importance classes of municipal information assets, most sensitive first (DESIGN.md, POLICY.md). A room's
 * ceiling is the most sensitive class it accepts.
 */
public enum ImportanceClass {
    /** My Number, resident registry, taxation, arrears, welfare, abuse consultation about a person. */
    I,
    /** Internal-only material: 取扱注意, staff rosters, budget drafts. */
    II,
    /** Published material. */
    III,
    /** Everything else. */
    IV;

    /** The wire name: {@code I} … {@code IV}. */
    public String wireName() {
        return name();
    }

    /** Whether content of this class is more sensitive than {@code ceiling} accepts. */
    public boolean above(ImportanceClass ceiling) {
        return ordinal() < ceiling.ordinal();
    }

    /** The more sensitive of two classes. */
    public ImportanceClass mostSensitive(ImportanceClass other) {
        return other.ordinal() < ordinal() ? other : this;
    }

    /** Parses a wire name; empty for anything else. */
    public static Optional<ImportanceClass> parse(String wire) {
        for (ImportanceClass c : values()) {
            if (c.name().equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
