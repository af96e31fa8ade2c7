package jp.kairan.server.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What the detectors found in one text, before any room's policy is applied. Immutable.
 *
 * @param findings in order of position
 */
public record Classification(List<Finding> findings) {
    static final Classification EMPTY = new Classification(List.of());

    public Classification {
        findings = List.copyOf(findings);
    }

    /** The class of the text: the most sensitive class among its certain findings, {@code IV} when none. */
    public ImportanceClass importance() {
        ImportanceClass c = ImportanceClass.IV;
        for (Finding f : findings) {
            if (f.certain()) {
                c = c.mostSensitive(f.importance());
            }
        }
        return c;
    }

    /** Whether anything of class I was found, certain or not. */
    public boolean touchesClassI() {
        for (Finding f : findings) {
            if (f.importance() == ImportanceClass.I) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a room with {@code ceiling} does with the text: block when a certain finding is above the ceiling,
     * warn when only uncertain ones are, else allow.
     */
    public Decision decide(ImportanceClass ceiling) {
        Verdict verdict = Verdict.ALLOW;
        List<Finding> above = new ArrayList<>();
        for (Finding f : findings) {
            if (f.importance().above(ceiling)) {
                verdict = verdict.max(f.verdict());
                above.add(f);
            }
        }
        if (verdict == Verdict.BLOCK) {
            above.removeIf(f -> !f.certain());
        }
        return new Decision(verdict, importance(), ceiling, above);
    }

    /**
     * A classification under a ceiling.
     *
     * @param verdict    block, warn or allow
     * @param importance the text's class
     * @param ceiling    the ceiling applied
     * @param causes     the findings that caused a block or warning (empty when allowed)
     */
    public record Decision(Verdict verdict, ImportanceClass importance, ImportanceClass ceiling, List<Finding> causes) {
        public Decision {
            causes = List.copyOf(causes);
        }
    }
}
