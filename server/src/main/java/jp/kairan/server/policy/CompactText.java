package jp.kairan.server.policy;

/**
 * A text with invisible characters removed and white space between Japanese characters dropped (山 田 太 郎 →
 * 山田太郎), mapped back to the original, and remembering where the dropped spaces were. Immutable.
 */
final class CompactText {
    private final String text;
    private final int[] source;
    private final boolean[] spacedAfter;

    private CompactText(String text, int[] source, boolean[] spacedAfter) {
        this.text = text;
        this.source = source;
        this.spacedAfter = spacedAfter;
    }

    static CompactText of(String original) {
        StringBuilder out = new StringBuilder(original.length());
        int[] source = new int[original.length() + 1];
        boolean[] spacedAfter = new boolean[original.length() + 1];
        for (int i = 0; i < original.length(); i++) {
            char ch = original.charAt(i);
            if (DigitRuns.invisible(ch)) {
                continue;
            }
            if ((ch == ' ' || ch == '\u3000') && out.length() > 0 && japanese(out.charAt(out.length() - 1))
                    && i + 1 < original.length() && japanese(original.charAt(i + 1))) {
                spacedAfter[out.length() - 1] = true;
                continue;
            }
            source[out.length()] = i;
            out.append(ch);
        }
        source[out.length()] = original.length();
        return new CompactText(out.toString(), source, spacedAfter);
    }

    /** The compacted text. */
    String text() {
        return text;
    }

    /** The index in the original of the character at {@code index}. */
    int source(int index) {
        return source[index];
    }

    /** The index in the original after the character before {@code endIndex}. */
    int sourceEnd(int endIndex) {
        return endIndex == 0 ? 0 : source[endIndex - 1] + 1;
    }

    /** Whether a space was dropped after the character at {@code index}. */
    boolean spacedAfter(int index) {
        return spacedAfter[index];
    }

    /** Whether a space was dropped inside [from, to). */
    boolean spaced(int from, int to) {
        for (int k = from; k < to - 1; k++) {
            if (spacedAfter[k]) {
                return true;
            }
        }
        return false;
    }

    private static boolean japanese(char ch) {
        Character.UnicodeScript s = Character.UnicodeScript.of(ch);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || ch == 'ー' || Masking.mask(ch) && ch > 0x7f;
    }
}
