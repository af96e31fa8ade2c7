package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.FAMILY_LABELS;
import static jp.kairan.server.policy.NameWords.SUBJECT_LABELS;
import static jp.kairan.server.policy.Scripts.isOneOf;

import java.util.List;
import jp.kairan.server.policy.PersonFinder.Kind;
import jp.kairan.server.policy.PersonFinder.Person;

/**
 * Names that a form or a note labels as the person it is about: 「児童氏名：川口 心愛（5）」, 「申請者:」, or a family
 * word without a colon (「妻 ブイ・ティ・マイ」, 「世帯主 山田太郎」). The value of such a label is a name, whatever the
 * dictionary says. Pure.
 */
final class LabelledNames {
    private LabelledNames() {
    }

    /**
     * Whether the name at token {@code i} follows a subject label: 「児童氏名：」, 「申請者:」; or, without a colon,
     * a family word before something that looks like a name.
     */
    static boolean labelledSubject(List<NameToken> tokens, int i) {
        int k = i - 1;
        if (k >= 0 && isOneOf(tokens.get(k).text(), "：", ":", "　", " ", "】")) {
            return labelEndsAt(tokens, k - 1);
        }
        NameToken t = tokens.get(i);
        return familyLabelAt(tokens, k) && (t.surname() || t.givenName() || t.katakana() || t.latinName() || t.place());
    }

    /** Whether the tokens ending at {@code k}, joined, are a subject label (up to six characters). */
    private static boolean labelEndsAt(List<NameToken> tokens, int k) {
        StringBuilder label = new StringBuilder();
        for (; k >= 0 && label.length() < 6; k--) {
            label.insert(0, tokens.get(k).text());
            if (SUBJECT_LABELS.contains(label.toString())) {
                return true;
            }
        }
        return false;
    }

    /** Whether token {@code k}, or tokens {@code k - 1} and {@code k} joined, are a family or subject label. */
    private static boolean familyLabelAt(List<NameToken> tokens, int k) {
        if (k < 0) {
            return false;
        }
        String one = tokens.get(k).text();
        if (FAMILY_LABELS.contains(one) || SUBJECT_LABELS.contains(one)) {
            return true;
        }
        String two = k >= 1 ? tokens.get(k - 1).text() + one : null;
        return two != null && (FAMILY_LABELS.contains(two) || SUBJECT_LABELS.contains(two));
    }

    /**
     * The value of a subject label starting at token {@code i}, up to a parenthesis, a comma, an honorific or the
     * line's end, as a name. Returns how many tokens it took, 0 when it is not two to twelve characters.
     */
    static int labelled(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        int j = i;
        int chars = 0;
        boolean masked = false;
        while (j < tokens.size() && chars <= 12 && !endsValue(tokens.get(j))) {
            masked |= tokens.get(j).mask();
            chars += tokens.get(j).text().length();
            j++;
        }
        if (j == i || chars < 2 || chars > 12) {
            return 0;
        }
        NameToken first = tokens.get(i);
        NameToken last = tokens.get(j - 1);
        if (masked || Masking.pseudonymAt(tokens, j)) {
            found.add(Person.of(c, Kind.MASKED, first, last, 0));
            return j - i;
        }
        String value = c.text().substring(first.start(), last.end());
        boolean full = c.spaced(first.start(), last.end()) || j - i >= 2 || value.length() >= 4
                || value.contains(" ") || value.contains("・");
        int keep = first.surname() ? first.text().length() : Math.min(1, value.length());
        found.add(Person.of(c, full ? Kind.FULL : Kind.PARTIAL, first, last, keep));
        return j - i;
    }

    private static boolean endsValue(NameToken t) {
        return t.openParen() || t.honorific() || isOneOf(t.text(), "、", "，", ",", "。", "\n", "：", ":") || t.text().contains("\n")
                || t.particle() || t.pos().contains("数");
    }
}
