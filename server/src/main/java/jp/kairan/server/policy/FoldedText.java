package jp.kairan.server.policy;

import java.text.Normalizer;

/**
 * Text folded for keyword matching, with a map back to the original: NFKC (half-width katakana, full-width
 * letters), lower case, hiragana as katakana (まいなんばー finds マイナンバー), and without white space or invisible
 * characters (マ イ ナ ン バ ー finds it too). Immutable.
 */
final class FoldedText {
    private final String original;
    private final String folded;
    private final int[] source;

    private FoldedText(String original, String folded, int[] source) {
        this.original = original;
        this.folded = folded;
        this.source = source;
    }

    /** Folds {@code text}. */
    static FoldedText of(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int[] map = new int[text.length() * 2 + 4];
        int n = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (!DigitRuns.invisible(cp) && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                String f = cp < 0x80 ? Character.toString(cp) : Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC);
                for (int k = 0; k < f.length(); k++) {
                    char c = fold(f.charAt(k));
                    if (Character.isWhitespace(c)) {
                        continue;
                    }
                    if ((c == '\u3099' || c == '\u309A') && out.length() > 0) {
                        // Half-width ﾊﾞ folds one code point at a time to ハ + a combining mark: compose them (バ).
                        String composed = Normalizer.normalize(out.charAt(out.length() - 1) + String.valueOf(c), Normalizer.Form.NFC);
                        if (composed.length() == 1) {
                            out.setCharAt(out.length() - 1, composed.charAt(0));
                            continue;
                        }
                    }
                    if (n == map.length) {
                        map = java.util.Arrays.copyOf(map, map.length * 2);
                    }
                    out.append(c);
                    map[n++] = i;
                }
            }
            i = next;
        }
        return new FoldedText(text, out.toString(), java.util.Arrays.copyOf(map, n));
    }

    /** A keyword folded the same way (for dictionaries). */
    static String foldKeyword(String keyword) {
        return of(keyword).folded;
    }

    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        if (c >= 0x3041 && c <= 0x3096) {
            return (char) (c + 0x60);
        }
        return c;
    }

    String text() {
        return folded;
    }

    /** The text as it was written. */
    String original() {
        return original;
    }

    /** The index in the original text of the folded character at {@code index}. */
    int source(int index) {
        return source[index];
    }

    /** The index in the original text just after the folded character at {@code index}. */
    int sourceEnd(int index) {
        int at = source[index];
        int end = at + Character.charCount(original.codePointAt(at));
        // ｺﾞ folded to ゴ: the voiced mark belongs to the character.
        while (end < original.length() && "\uFF9E\uFF9F\u3099\u309A".indexOf(original.charAt(end)) >= 0) {
            end++;
        }
        return end;
    }

    /** Where {@code foldedKeyword} occurs, as indices of the original text (start of each occurrence). */
    int[] occurrences(String foldedKeyword) {
        if (foldedKeyword.isEmpty()) {
            return new int[0];
        }
        int[] found = new int[4];
        int count = 0;
        int from = 0;
        int at;
        while ((at = folded.indexOf(foldedKeyword, from)) >= 0) {
            if (count == found.length) {
                found = java.util.Arrays.copyOf(found, count * 2);
            }
            found[count++] = source[at];
            from = at + 1;
        }
        return java.util.Arrays.copyOf(found, count);
    }
}
