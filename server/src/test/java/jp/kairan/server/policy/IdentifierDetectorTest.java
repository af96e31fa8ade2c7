package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** My Number, 住民票コード and 基礎年金番号 in staff messages, and the numbers that only look like them. */
class IdentifierDetectorTest {

    private static Verdict verdict(String text) {
        return IdentifierDetector.find(text).stream().map(Finding::verdict).reduce(Verdict.ALLOW, Verdict::max);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "山田さんのマイナンバーは123456789018です",
            "個人番号：1234 5678 9018 で照会お願いします",
            "マイナンバー １２３４－５６７８－９０１８",
            "ﾏｲﾅﾝﾊﾞｰ 983205673214",
            "まいなんばー 465281266333",
            "マ イ ナ ン バ ー\n1234\n5678\n9018",
            "My Number: 1234-5678-9018",
            "123456789018（個人番号）の方の件",
            "山田○○さんの個人番号 1234ー5678ー9018",
            "番号は一二三四五六七八九〇一八（マイナンバー）",
    })
    void aMyNumberWithItsNameIsBlocked(String text) {
        assertThat(verdict(text)).isEqualTo(Verdict.BLOCK);
        Finding f = IdentifierDetector.find(text).get(0);
        assertThat(f.detector()).isEqualTo("my_number");
        assertThat(f.excerpt()).matches("\\*{4}-\\*{4}-[0-9]{4}");
    }

    @Test
    void theExcerptIsMaskedAndPointsAtTheOriginal() {
        String text = "マイナンバーは１２３４ ５６７８ ９０１８です";
        Finding f = IdentifierDetector.find(text).get(0);
        assertThat(f.excerpt()).isEqualTo("****-****-9018");
        assertThat(text.substring(f.start(), f.end())).isEqualTo("１２３４ ５６７８ ９０１８");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "202610160001 の件、確認しました",
            "1234 5678 9018",
    })
    void aBareNumberThatPassesTheCheckIsAWarning(String text) {
        assertThat(verdict(text)).isEqualTo(Verdict.WARN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "注文番号 202610160001 の納品は明日です",
            "受付番号：123456789018",
            "電話 123456789018 まで",
            "法人番号 1180301018771（当市）",
            "T1180301018771 の請求書",
            "マイナンバーカードの記入例 123456789012",
            "000000000000",
            "マイナンバー 000000000000",
            "マイナンバーカードの申請窓口は2階です",
            "電話 03-1234-5678 内線204",
            "2026年11月26日 10:30 会議",
    })
    void otherNumbersAndTalkAboutTheSystemAreAllowed(String text) {
        assertThat(verdict(text)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aCorporateNumberWhoseLastTwelveDigitsPassIsStillPublic() {
        String trap = null;
        for (long base = 100_000_000_000L; trap == null; base++) {
            String b = Long.toString(base);
            for (int check = 1; check <= 9 && trap == null; check++) {
                if (CheckDigits.corporateNumber(check + b) && CheckDigits.myNumber(b)) {
                    trap = check + b;
                }
            }
        }
        String formsLayout = trap.charAt(0) + "-" + trap.substring(1, 5) + "-" + trap.substring(5, 9) + "-" + trap.substring(9);
        assertThat(verdict("法人番号 " + trap)).isEqualTo(Verdict.ALLOW);
        assertThat(verdict("マイナンバーカード対応の事業者 " + formsLayout)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void residentCodesAndPensionNumbersCountNextToTheirNames() {
        assertThat(IdentifierDetector.find("住民票コード 24727059608 の写し").get(0))
                .extracting(Finding::detector, Finding::verdict, Finding::excerpt)
                .containsExactly("resident_code", Verdict.BLOCK, "*******9608");
        assertThat(verdict("24727059608")).isEqualTo(Verdict.ALLOW);
        assertThat(IdentifierDetector.find("基礎年金番号は1234-567890です").get(0))
                .extracting(Finding::detector, Finding::verdict, Finding::excerpt)
                .containsExactly("basic_pension_number", Verdict.BLOCK, "****-**7890");
        assertThat(verdict("内線 1234-567890")).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void everyNumberInAMessageIsFound() {
        List<Finding> found = IdentifierDetector.find("マイナンバー 123456789018 と 983205673214 の2名分");
        assertThat(found).extracting(Finding::excerpt).containsExactly("****-****-9018", "****-****-3214");
    }

    @Test
    void aLabelMustLabelTheNumber() {
        // 電話 is part of a sentence here, not the number's label; the keyword earlier decides.
        assertThat(IdentifierDetector.find("長女のマイナンバー欄が空欄でした。本人に電話で確認して 9946 6091 8472 と追記しています"))
                .singleElement().extracting(Finding::verdict).isEqualTo(Verdict.BLOCK);
        assertThat(IdentifierDetector.find("電話番号：202610160001")).isEmpty();
        assertThat(IdentifierDetector.find("着信 +81 80-7080-5602 折り返しお願いします")).isEmpty();
        assertThat(IdentifierDetector.find("マイナンバー 4232·3560·6117")).singleElement().extracting(Finding::verdict).isEqualTo(Verdict.BLOCK);
    }
}
