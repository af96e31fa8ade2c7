package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.PSEUDONYM_SUFFIXES;

import java.util.List;

/**
 * Names that do not identify because they are hidden: masks (山田○○, ○○花子, ＊＊様), pseudonyms (Aさん, Ｂ子,
 * 乙（S23.11.3生）) and names marked （仮名）. Pure.
 */
final class Masking {
    /** The characters that stand for hidden ones. */
    static final String MASKS = "○◯〇●◎×✕＊*※△□■＿_ＸXｘxＯ";

    private Masking() {
    }

    static boolean mask(char ch) {
        return MASKS.indexOf(ch) >= 0;
    }

    /** Whether {@code text} is not empty and all masks. */
    static boolean allMasks(String text) {
        for (int k = 0; k < text.length(); k++) {
            if (!mask(text.charAt(k))) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** {@code name} with its first {@code keep} characters and its masks as they are, the rest as {@code *}. */
    static String excerpt(String name, int keep) {
        StringBuilder masked = new StringBuilder(name.length());
        for (int k = 0; k < name.length(); k++) {
            char ch = name.charAt(k);
            masked.append(k < keep || mask(ch) ? ch : '*');
        }
        return masked.toString();
    }

    /** How many mask tokens start at {@code j}. */
    static int masksAt(List<NameToken> tokens, int j) {
        int n = 0;
        while (j + n < tokens.size() && tokens.get(j + n).mask()) {
            n++;
        }
        return n;
    }

    /** Whether a mask token is right before {@code i}. */
    static boolean maskedBefore(List<NameToken> tokens, int i) {
        return i > 0 && tokens.get(i - 1).mask();
    }

    /** How many tokens a name masked whole (○○さん, ＊＊様) takes at {@code i}, else 0. */
    static int maskedWhole(List<NameToken> tokens, int i) {
        return tokens.get(i).mask() && !maskedBefore(tokens, i) ? maskedHonorific(tokens, i) : 0;
    }

    /** How many mask tokens start at {@code i} when an honorific follows them, else 0. */
    private static int maskedHonorific(List<NameToken> tokens, int i) {
        int n = masksAt(tokens, i);
        return n > 0 && i + n < tokens.size() && tokens.get(i + n).honorific() ? n : 0;
    }

    /** Whether a pseudonym starts at {@code i}: a letter then an honorific, a parenthesis or a suffix (Ｂ子). */
    static boolean pseudonym(List<NameToken> tokens, int i) {
        if (!pseudonymLetter(tokens.get(i)) || i + 1 >= tokens.size()) {
            return false;
        }
        NameToken next = tokens.get(i + 1);
        return next.honorific() || next.openParen() || PSEUDONYM_SUFFIXES.contains(next.text());
    }

    /** A single capital letter (A, Ｂ) or 甲乙丙丁. */
    private static boolean pseudonymLetter(NameToken t) {
        if (t.text().length() != 1) {
            return false;
        }
        char ch = t.text().charAt(0);
        return ch >= 'A' && ch <= 'Z' || ch >= 'Ａ' && ch <= 'Ｚ' || "甲乙丙丁".indexOf(ch) >= 0;
    }

    /** 「（仮名）」 or 「(仮名)」 right after the name, possibly after an honorific. */
    static boolean pseudonymAt(List<NameToken> tokens, int j) {
        for (int k = j; k < Math.min(tokens.size(), j + 3); k++) {
            if (tokens.get(k).text().equals("仮名")) {
                return true;
            }
        }
        return false;
    }
}
