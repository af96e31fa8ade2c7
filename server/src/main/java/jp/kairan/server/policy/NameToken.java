package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.HONORIFICS;

/**
 * A Kuromoji token of the compacted text ({@link CompactText}), and what it may be in a name.
 *
 * @param text  the token as written
 * @param pos   its IPADIC part of speech ({@code 名詞-固有名詞-人名-姓}), or empty
 * @param start index of its first character in the compacted text
 * @param end   index after its last character
 */
record NameToken(String text, String pos, int start, int end) {
    /** A surname in the dictionary (人名-姓). */
    boolean surname() {
        return pos.endsWith("人名-姓");
    }

    /** A given name in the dictionary (人名-名). */
    boolean givenName() {
        return pos.endsWith("人名-名");
    }

    /** A place name (固有名詞-地域): 太田 and 川口 are surnames too. */
    boolean place() {
        return pos.contains("固有名詞-地域");
    }

    /** さん, 様, 宅, or any personal suffix. */
    boolean honorific() {
        return HONORIFICS.contains(text) || personalSuffix();
    }

    /** A personal suffix by its part of speech (名詞-接尾-人名): ちゃん, 氏. */
    boolean personalSuffix() {
        return pos.startsWith("名詞-接尾-人名");
    }

    /** A particle (助詞). */
    boolean particle() {
        return pos.startsWith("助詞");
    }

    boolean openParen() {
        return text.equals("（") || text.equals("(");
    }

    /** All mask characters: ○○, ＊＊. */
    boolean mask() {
        return Masking.allMasks(text);
    }

    /** All kanji, and a noun that is neither a suffix nor a numeral. */
    boolean kanji() {
        return !text.isEmpty() && Scripts.allKanji(text) && pos.startsWith("名詞") && !pos.contains("接尾-人名")
                && !pos.contains("助数詞") && !pos.contains("数");
    }

    boolean katakana() {
        return Scripts.katakanaRun(text);
    }

    boolean hangul() {
        return !text.isEmpty() && text.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL);
    }

    /** "Santos" or "SATO". */
    boolean latinName() {
        return latinCapitalized() || allCaps();
    }

    /** Two to twelve capitals A–Z. */
    boolean allCaps() {
        if (text.length() < 2 || text.length() > 12) {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) < 'A' || text.charAt(k) > 'Z') {
                return false;
            }
        }
        return true;
    }

    /** "Santos", "Nguyễn", "Thị": a capital then small letters, Latin script (with diacritics). */
    boolean latinCapitalized() {
        if (text.length() < 2 || !Character.isUpperCase(text.codePointAt(0)) || !latinScript(text.codePointAt(0))) {
            return false;
        }
        for (int k = Character.charCount(text.codePointAt(0)); k < text.length(); k += Character.charCount(text.codePointAt(k))) {
            int cp = text.codePointAt(k);
            if (!Character.isLowerCase(cp) || !latinScript(cp)) {
                return false;
            }
        }
        return true;
    }

    private static boolean latinScript(int cp) {
        return Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN;
    }
}
