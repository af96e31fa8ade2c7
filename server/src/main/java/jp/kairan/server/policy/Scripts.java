package jp.kairan.server.policy;

/**
 * The character classes the name finder reads a text by: hiragana, kana, katakana, kanji, and the small string
 * tests built on them. One {@code char} at a time (a supplementary character is neither kana nor kanji here). Pure.
 */
final class Scripts {
    private Scripts() {
    }

    /** ぁ–ゖ and the long-vowel mark. */
    static boolean hiragana(char ch) {
        return ch >= 'ぁ' && ch <= 'ゖ' || ch == 'ー';
    }

    /** Hiragana, full-width katakana ァ–ヶ, and the long-vowel mark. */
    static boolean kana(char ch) {
        return ch >= 'ぁ' && ch <= 'ゖ' || ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー';
    }

    /** Full-width katakana ァ–ヶ, the long-vowel mark, and half-width katakana ｦ–ﾟ. */
    static boolean katakana(char ch) {
        return ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー' || ch >= 'ｦ' && ch <= 'ﾟ';
    }

    /** A Han character other than the numeral 〇, or the repetition mark 々. */
    static boolean kanji(char ch) {
        return Character.UnicodeScript.of(ch) == Character.UnicodeScript.HAN && ch != '〇' || ch == '々';
    }

    /** A character a Japanese name is written in: kanji, hiragana, katakana. */
    static boolean nameChar(char ch) {
        return kanji(ch) || hiragana(ch) || ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー';
    }

    /** Whether {@code s} is not empty and all {@link #kana}. */
    static boolean kanaRun(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!kana(s.charAt(k))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Whether {@code s} is not empty and all {@link #katakana}. */
    static boolean katakanaRun(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!katakana(s.charAt(k))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Whether every character of {@code s} is {@link #hiragana} (true when empty). */
    static boolean allHiragana(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!hiragana(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every character of {@code s} is {@link #kanji} (true when empty). */
    static boolean allKanji(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!kanji(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} has any of {@code chars}. */
    static boolean containsAny(String s, String chars) {
        for (int k = 0; k < s.length(); k++) {
            if (chars.indexOf(s.charAt(k)) >= 0) {
                return true;
            }
        }
        return false;
    }

    static boolean isOneOf(String s, String... options) {
        for (String o : options) {
            if (s.equals(o)) {
                return true;
            }
        }
        return false;
    }
}
