package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Digit runs as a person reads them (DLP-NOTES.md §3), mapped back to the original text. */
class DigitRunsTest {

    private static List<String> digits(String text) {
        return DigitRuns.find(text).stream().map(DigitRuns.Run::digits).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "123456789018",
            "1234 5678 9018",
            "1234-5678-9018",
            "１２３４５６７８９０１８",
            "１２３４－５６７８－９０１８",
            "1234ー5678ー9018",
            "1234‐5678‑9018",
            "1234–5678—9018",
            "1234−5678─9018",
            "1234・5678・9018",
            "1234.5678.9018",
            "1234\n5678\n9018",
            "1234\u3000\u30005678 9018",
            "12\u200B34 56\u200D78 90\uFEFF18",
            "1 2 3 4 5 6 7 8 9 0 1 8",
            "一二三四五六七八九〇一八",
            "1234五六七八9018",
    })
    void oneNumberHoweverItIsWritten(String written) {
        assertThat(digits(written)).containsExactly("123456789018");
    }

    @Test
    void runsInRunningTextKeepTheirPlace() {
        String text = "マイナンバーは１２３４ ５６７８ ９０１８です";
        List<DigitRuns.Run> runs = DigitRuns.find(text);
        assertThat(runs).hasSize(1);
        DigitRuns.Run run = runs.get(0);
        assertThat(run.digits()).isEqualTo("123456789018");
        assertThat(text.substring(run.start(), run.end())).isEqualTo("１２３４ ５６７８ ９０１８");
        assertThat(text.charAt(run.source()[11])).isEqualTo('８');
    }

    @Test
    void moreThanThreeSeparatorsOrOtherCharactersEndARun() {
        assertThat(digits("1234    5678")).containsExactly("1234", "5678");
        assertThat(digits("1234 | 5678")).containsExactly("1234", "5678");
        assertThat(digits("2233/8052/7501")).containsExactly("223380527501");
        assertThat(digits("電話 03-1234-5678、内線 204")).containsExactly("0312345678", "204");
        assertThat(digits("1234,5678")).containsExactly("1234", "5678");
    }

    @Test
    void kanjiNumeralsAreDigitsOnlyInLongRuns() {
        assertThat(digits("一郎さん、一部お願いします")).isEmpty();
        assertThat(digits("高橋〇〇さん 2024年")).containsExactly("2024");
        assertThat(digits("第一2班")).containsExactly("2");
        assertThat(digits("零")).isEmpty();
    }

    @Test
    void circledAndMathematicalDigitsFold() {
        assertThat(digits("①②③④⑤⑥⑦⑧⑨⓪①⑧")).containsExactly("123456789018");
        List<DigitRuns.Run> ten = DigitRuns.find("⑩");
        assertThat(ten.get(0).digits()).isEqualTo("10");
        assertThat(ten.get(0).source()).containsExactly(0, 0);
    }

    @Test
    void surrogatePairsKeepIndicesRight() {
        String text = "𝟏𝟐𝟑 は";
        DigitRuns.Run run = DigitRuns.find(text).get(0);
        assertThat(run.digits()).isEqualTo("123");
        assertThat(run.end()).isEqualTo(6);
        assertThat(run.source()).containsExactly(0, 2, 4);
    }
}
