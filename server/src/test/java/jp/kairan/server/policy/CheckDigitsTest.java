package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worked examples of DLP-NOTES.md §1, computed by hand from the ordinances. */
class CheckDigitsTest {

    @ParameterizedTest(name = "My Number {0}: {1}")
    @CsvSource({
            "123456789018, true",   // sum 212, r 3, check 8
            "465281266333, true",
            "983205673214, true",
            "202610160001, true",   // an order number that passes by chance (r 10 → 1)
            "000000000000, true",   // valid, but degenerate
            "123456789012, false",  // the usual 記入例
            "819012345678, false",  // +81 90-1234-5678
            "12345678901, false",   // 11 digits
            "1234567890183, false", // 13 digits
            "12345678901a, false",
    })
    void myNumber(String digits, boolean valid) {
        assertThat(CheckDigits.myNumber(digits)).isEqualTo(valid);
    }

    @Test
    void remaindersZeroAndOneBothGiveCheckDigitZero() {
        // weights 6 5 4 3 2 7 6 5 4 3 2: 1·5 + 2·3 = 11 → r 0; 6·2 = 12 → r 1; 1·3 + 1·2 = 5 → r 5 → 6
        assertThat(CheckDigits.myNumber("010000000200")).isTrue();
        assertThat(CheckDigits.myNumber("000000000060")).isTrue();
        assertThat(CheckDigits.myNumber("000000000116")).isTrue();
        assertThat(CheckDigits.myNumber("010000000201")).isFalse();
        assertThat(CheckDigits.myNumber("000000000061")).isFalse();
    }

    @ParameterizedTest(name = "Corporate Number {0}: {1}")
    @CsvSource({
            "7123456789012, true",  // sum 74, 9 − 2 = 7
            "1180301018771, true",
            "8123456789012, false",
            "0123456789012, false", // the check digit is never 0
            "123456789012, false",
    })
    void corporateNumber(String digits, boolean valid) {
        assertThat(CheckDigits.corporateNumber(digits)).isEqualTo(valid);
    }

    @Test
    void aCorporateNumberWhoseBaseLooksLikeAMyNumberIsStillACorporateNumber() {
        // Search the base space for a trap: a valid 法人番号 whose 12-digit base passes the My Number check.
        String trap = null;
        for (long base = 100_000_000_000L; base < 100_000_001_000L && trap == null; base++) {
            String b = Long.toString(base);
            for (int check = 1; check <= 9; check++) {
                String whole = check + b;
                if (CheckDigits.corporateNumber(whole) && CheckDigits.myNumber(b)) {
                    trap = whole;
                }
            }
        }
        assertThat(trap).isNotNull();
        assertThat(CheckDigits.corporateNumber(trap)).isTrue();
        assertThat(CheckDigits.myNumber(trap.substring(1))).isTrue();
    }

    @ParameterizedTest(name = "住民票コード {0}: {1}")
    @CsvSource({
            "24727059608, true",
            "24846016224, true",
            "25208017643, true",
            "25208017644, false",
    })
    void residentCode(String digits, boolean valid) {
        assertThat(CheckDigits.residentCode(digits)).isEqualTo(valid);
    }

    @Test
    void sameDigitRunsAreDegenerate() {
        assertThat(CheckDigits.degenerate("000000000000")).isTrue();
        assertThat(CheckDigits.degenerate("111111111111")).isTrue();
        assertThat(CheckDigits.degenerate("123456789018")).isFalse();
    }
}
