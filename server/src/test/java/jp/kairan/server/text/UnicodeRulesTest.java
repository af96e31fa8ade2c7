package jp.kairan.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UnicodeRulesTest {
    /** The six reactions the web client offers (client-web/src/screens/chat/MessageItem.tsx REACTIONS). */
    private static final List<String> CLIENT_REACTIONS = List.of("👍", "❤️", "😄", "🙏", "😮", "🎉");

    @Test
    void theClientsReactionsAreEmoji() {
        assertThat(CLIENT_REACTIONS).allMatch(UnicodeRules::isSingleEmoji);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "😀", "❤", "❤️", "☺️", "👍🏽", "👋🏿", // plain, text-default with and without VS16, skin tones
        "👨\u200D👩\u200D👧", "👩\u200D💼", "🏳️\u200D🌈", "❤️\u200D🔥", "🧑🏻\u200D🤝\u200D🧑🏿", "🐻\u200D❄️", // ZWJ sequences
        "🇯🇵", "🇺🇦", // flags
        "1️⃣", "1\u20E3", "#️⃣", "*️⃣", // keycaps
        "🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F", // Scotland, a tag sequence
        "🀄", "🫠", "🪿", "©️", "™️"})
    void realEmojiAreReactions(String emoji) {
        assertThat(UnicodeRules.isSingleEmoji(emoji)).as(emoji).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x", "1", "#", "ok", "あ", "災", " ", "\u202E", "\u200B", "\u200D", "\uFEFF", "\u0000", "\uD83D", "\uDE00",
        "👍👍", "👍 ", "👍\u202E", "\u202E👍", "👍\u200D", "\u200D👍", "👨\u200D\u200D👩", "👨\u200Dx", "🏽", "🏽👍",
        "️", "👍️️", "🇯", "🇯🇵🇺", "1️", "12⃣", "x⃣", "🏴\uDB40\uDC7F", "\uDB40\uDC67\uDB40\uDC7F", "👍x", "x👍"})
    void anythingElseIsNot(String notEmoji) {
        assertThat(UnicodeRules.isSingleEmoji(notEmoji)).as(escape(notEmoji)).isFalse();
    }

    @Test
    void nullAndEmptyAreNotEmoji() {
        assertThat(UnicodeRules.isSingleEmoji(null)).isFalse();
        assertThat(UnicodeRules.isSingleEmoji("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "invoice\u202Egpj.exe", "\u202Aa", "a\u202B", "\u202C", "\u202D", "\u061C", "\u200E", "\u200F", // bidi
        "\u2066x", "\u2067", "\u2068", "\u2069",
        "佐\u200B藤", "佐\u200C藤", "佐\u200D藤", "佐\u2060藤", "\uFEFF佐藤", // zero-width
        "a\u0000b", "a\tb", "a\nb", "a\u0085b", "a\u007Fb", // controls
        "a\u2028b", "a\u2029b", "a\u00ADb", "a\u180Eb", "a\uDB40\uDC01b", // separators, other format characters
        "会議\uD800", "\uDC00会議", "会\uDC00\uD800議", // unpaired surrogates
        "👍\u200D", "\u200D👍", "a\u200D👍", "👍\u200Da", // a ZWJ not between two emoji
        "x\uDB40\uDC67\uDB40\uDC7F", "🏴\uDB40\uDC67"}) // tags outside a flag
    void namesRefuseControlsBidiZeroWidthAndLoneSurrogates(String name) {
        assertThat(UnicodeRules.forbiddenInName(name)).as(escape(name)).isNotNull().startsWith("U+");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "鈴木 一郎", "すずき　いちろう", "防災課", "O'Brien-Smith", "Zoë", "مرحبا", "שלום", "한국어", "𠮷野家",
        "👩\u200D💼", "佐藤 👨\u200D👩\u200D👧", "🏳️\u200D🌈 team", "🫱🏻\u200D🫲🏿", "🇯🇵", "1️⃣ 班", "ﾃｽﾄ",
        "🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F"})
    void namesKeepOrdinaryTextAndEmoji(String name) {
        assertThat(UnicodeRules.forbiddenInName(name)).as(name).isNull();
    }

    @Test
    void theRefusalNamesTheCharacter() {
        assertThat(UnicodeRules.forbiddenInName("invoice\u202Egpj.exe")).isEqualTo("U+202E");
        assertThat(UnicodeRules.forbiddenInName("会議\uD800")).isEqualTo("U+D800");
        assertThat(UnicodeRules.forbiddenInName("a\u0000")).isEqualTo("U+0000");
    }

    @Test
    void reasonsMayRunOverLinesButRefuseTheRest() {
        assertThat(UnicodeRules.forbiddenInReason("情報公開請求\n令和8年第12号\r\n\t担当: 総務課")).isNull();
        assertThat(UnicodeRules.forbiddenInReason("請求\u202E号21第")).isEqualTo("U+202E");
        assertThat(UnicodeRules.forbiddenInReason("a\u200Bb")).isEqualTo("U+200B");
        assertThat(UnicodeRules.forbiddenInReason("a\u0000b")).isEqualTo("U+0000");
        assertThat(UnicodeRules.forbiddenInReason("理由\uDC00")).isEqualTo("U+DC00");
        assertThat(UnicodeRules.forbiddenInName("a\nb")).as("a name stays one line").isEqualTo("U+000A");
    }

    @Test
    void unpairedSurrogatesAreFoundWhereverTheyAre() {
        assertThat(UnicodeRules.unpairedSurrogate("会議😀")).isEmpty();
        assertThat(UnicodeRules.unpairedSurrogate("")).isEmpty();
        assertThat(UnicodeRules.unpairedSurrogate("\uD800")).hasValue(0);
        assertThat(UnicodeRules.unpairedSurrogate("ab\uDC00")).hasValue(2);
        assertThat(UnicodeRules.unpairedSurrogate("😀\uD83D")).hasValue(2);
        assertThat(UnicodeRules.unpairedSurrogate("\uD83D\uD83D\uDE00")).hasValue(0);
    }

    @Test
    void bidiAndZeroWidthClasses() {
        for (int cp : new int[] {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}) {
            assertThat(UnicodeRules.isBidiControl(cp)).as("U+%04X", cp).isTrue();
            assertThat(Character.getType(cp)).as("U+%04X is a format character", cp).isEqualTo((int) Character.FORMAT);
        }
        for (int cp : new int[] {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}) {
            assertThat(UnicodeRules.isZeroWidth(cp)).as("U+%04X", cp).isTrue();
        }
        assertThat(UnicodeRules.isBidiControl('a')).isFalse();
        assertThat(UnicodeRules.isZeroWidth(' ')).isFalse();
    }

    @Test
    void pictographicRangesAreSortedAndSkipLettersDigitsAndKana() {
        assertThat(UnicodeRules.isPictographic('x')).isFalse();
        assertThat(UnicodeRules.isPictographic('1')).isFalse();
        assertThat(UnicodeRules.isPictographic('あ')).isFalse();
        assertThat(UnicodeRules.isPictographic(0x1F3FB)).as("a skin tone is a modifier, not a base").isFalse();
        assertThat(UnicodeRules.isPictographic(0x1F1EF)).as("a regional indicator alone").isFalse();
        assertThat(UnicodeRules.isPictographic(0x1F600)).isTrue();
        assertThat(UnicodeRules.isPictographic(0x2764)).isTrue();
        assertThat(UnicodeRules.isPictographic(0x1FAFF)).isTrue();
        assertThat(UnicodeRules.isPictographic(0x1FFFE)).isFalse();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x7F && c >= 0x20 ? Character.toString(c) : String.format("\\u%04X", c)));
        return b.toString();
    }
}
