package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.KATAKANA_COMMON;
import static jp.kairan.server.policy.NameWords.LATIN_STOP;
import static jp.kairan.server.policy.NameWords.LATIN_TITLES;

import java.util.List;
import java.util.Locale;
import jp.kairan.server.policy.PersonFinder.Kind;
import jp.kairan.server.policy.PersonFinder.Person;

/**
 * Names written in katakana (グエン・ヴァン・アンさん, ヤマダ タロウさん), Hangul (박지훈（パク・ジフン）さん) and Latin
 * letters (Maria Santos, SATO Haruka, Ms. Chen). The dictionary does not know them, so they count when an honorific,
 * a parenthesis, a subject label or a title marks them. Each method looks at the token {@code i}, adds what it finds
 * to {@code found}, and returns how many tokens it read. Pure.
 */
final class ForeignNames {
    private ForeignNames() {
    }

    /** Katakana words, joined by ・ or ＝, before an honorific: a full name when in parts or five characters long. */
    static int katakana(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        int j = i;
        int parts = 0;
        int chars = 0;
        while (j < tokens.size()) {
            NameToken t = tokens.get(j);
            if (t.katakana()) {
                chars += t.text().length();
                if (j == i || !tokens.get(j - 1).katakana()) {
                    parts++;
                }
                j++;
            } else if (Scripts.isOneOf(t.text(), "・", "=", "＝") && j + 1 < tokens.size() && tokens.get(j + 1).katakana()) {
                j++;
            } else {
                break;
            }
        }
        NameToken first = tokens.get(i);
        NameToken last = tokens.get(j - 1);
        String whole = c.text().substring(first.start(), last.end());
        if (KATAKANA_COMMON.contains(whole) || whole.length() < 2) {
            return j - i;
        }
        int masks = Masking.masksAt(tokens, j);
        if (masks > 0) {
            found.add(Person.of(c, Kind.MASKED, first, tokens.get(j + masks - 1), whole.length()));
            return j - i + masks;
        }
        boolean multiPart = parts >= 2 || c.spaced(first.start(), last.end());
        boolean after = j < tokens.size() && (tokens.get(j).honorific() || multiPart && tokens.get(j).openParen());
        if ((after || multiPart && LabelledNames.labelledSubject(tokens, i)) && !StaffContext.staff(tokens, i, j)) {
            boolean full = multiPart || chars >= 5;
            int keep = Math.min(whole.length(), full ? Math.max(2, whole.length() / 2) : whole.length());
            found.add(Person.of(c, full ? Kind.FULL : Kind.PARTIAL, first, last, keep));
        }
        return j - i;
    }

    /** 「박지훈（パク・ジフン）さん」, 「김서연さん」: a Korean name of two to five syllables. */
    static int hangul(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        int j = i;
        int chars = 0;
        while (j < tokens.size() && (tokens.get(j).hangul() || tokens.get(j).text().isBlank() && j + 1 < tokens.size()
                && tokens.get(j + 1).hangul())) {
            chars += tokens.get(j).text().strip().length();
            j++;
        }
        int h = j;
        while (h < tokens.size() && tokens.get(h).text().isBlank()) {
            h++;
        }
        boolean after = h < tokens.size() && (tokens.get(h).honorific() || tokens.get(h).openParen());
        if (chars >= 2 && chars <= 5 && (after || LabelledNames.labelledSubject(tokens, i))) {
            found.add(Person.of(c, chars >= 3 ? Kind.FULL : Kind.PARTIAL, tokens.get(i), tokens.get(j - 1), 1));
        }
        return Math.max(1, j - i);
    }

    /**
     * "Maria Santos さん", "Mr. Carlos Mendes", "SATO Haruka": two or three name-like words that are not common
     * English or product words, one of them not all capitals. Only messages with a ledger word get here, so a pair
     * is enough. One word is a name after a title (Ms. Chen).
     */
    static int latin(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        int j = i;
        int words = 0;
        int end = i;
        boolean lowerCased = false;
        while (j < tokens.size() && words < 3) {
            NameToken t = tokens.get(j);
            if (t.latinName() && !LATIN_STOP.contains(t.text().toLowerCase(Locale.ROOT))) {
                words++;
                lowerCased |= !t.allCaps();
                end = j + 1;
                j++;
            } else if (t.text().isBlank() && j + 1 < tokens.size() && tokens.get(j + 1).latinName()) {
                j++;
            } else {
                break;
            }
        }
        NameToken first = tokens.get(i);
        if (words >= 2 && lowerCased && !StaffContext.staff(tokens, i, end)) {
            found.add(Person.of(c, Kind.FULL, first, tokens.get(end - 1), first.text().length()));
        } else if (words == 1 && titled(tokens, i)) {
            found.add(Person.of(c, Kind.PARTIAL, first, first, first.text().length()));
        }
        return Math.max(1, end - i);
    }

    /** 「Ms. Chen」: a Latin title before the word. */
    private static boolean titled(List<NameToken> tokens, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 3); k--) {
            String t = tokens.get(k).text();
            if (LATIN_TITLES.contains(t)) {
                return true;
            }
            if (!t.isBlank() && !t.equals(".")) {
                return false;
            }
        }
        return false;
    }
}
