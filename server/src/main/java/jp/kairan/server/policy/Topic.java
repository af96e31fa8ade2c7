package jp.kairan.server.policy;

import java.util.Optional;

/**
 * The categories of the topic dictionaries: six class-I ledgers that count when a message concerns an identifiable
 * person, {@link #INTERNAL} markers of class II material, and {@link #GENERAL} guard words.
 */
public enum Topic {
    WELFARE("welfare", ImportanceClass.I),
    TAX("tax", ImportanceClass.I),
    ARREARS("arrears", ImportanceClass.I),
    ABUSE("abuse", ImportanceClass.I),
    RESIDENT_REGISTRY("resident_registry", ImportanceClass.I),
    CASE_RECORD("case_record", ImportanceClass.I),
    /** Class II markers (取扱注意, 部外秘): a cue alone makes a message class II. */
    INTERNAL("internal", ImportanceClass.II),
    /** Guard words of no particular ledger (制度, 統計, 記入例); it has no cues. */
    GENERAL("general", ImportanceClass.IV);

    private final String id;
    private final ImportanceClass importance;

    Topic(String id, ImportanceClass importance) {
        this.id = id;
        this.importance = importance;
    }

    /** The wire id, also the detector id of the topic's findings. */
    public String id() {
        return id;
    }

    public ImportanceClass importance() {
        return importance;
    }

    /** Whether the topic counts only about an identifiable person. */
    public boolean aboutPerson() {
        return importance == ImportanceClass.I;
    }

    public static Optional<Topic> parse(String id) {
        for (Topic t : values()) {
            if (t.id.equals(id)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
