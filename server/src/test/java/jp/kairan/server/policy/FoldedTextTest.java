package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keyword folding: width, case, kana, spaces and invisible characters, with the way back to the original. */
class FoldedTextTest {

    @Test
    void variantsOfAKeywordFoldAlike() {
        String k = FoldedText.foldKeyword("マイナンバー");
        for (String written : new String[] {"マイナンバー", "ﾏｲﾅﾝﾊﾞｰ", "まいなんばー", "マ イ ナ ン バ ー", "マイ\u200Bナンバー"}) {
            assertThat(FoldedText.of(written).text()).as(written).isEqualTo(k);
        }
        assertThat(FoldedText.of("ＭＹ ＮＵＭＢＥＲ").text()).isEqualTo("mynumber");
    }

    @Test
    void occurrencesPointAtTheOriginalText() {
        String text = "職員の ま い な ん ば ー と 個人番号";
        FoldedText f = FoldedText.of(text);
        assertThat(f.occurrences(FoldedText.foldKeyword("マイナンバー"))).containsExactly(text.indexOf('ま'));
        assertThat(f.occurrences(FoldedText.foldKeyword("個人番号"))).containsExactly(text.indexOf('個'));
        assertThat(f.occurrences("")).isEmpty();
    }
}
