package jp.kairan.server.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one formula guard (issue #16): the six characters that start a formula, and nothing else. */
class CsvTest {
    @Test
    void everyFormulaStartGetsALeadingApostrophe() {
        for (String start : new String[] {"=", "+", "-", "@", "\t", "\r"}) {
            assertThat(Csv.guard(start + "cmd|' /C calc'!A0")).as("starting with U+%04X", (int) start.charAt(0))
                    .isEqualTo("'" + start + "cmd|' /C calc'!A0");
        }
    }

    @Test
    void otherTextStaysAsItIs() {
        assertThat(Csv.guard(null)).isNull();
        assertThat(Csv.guard("")).isEmpty();
        assertThat(Csv.guard("yamada")).isEqualTo("yamada");
        assertThat(Csv.guard(" =1+1")).isEqualTo(" =1+1");
        assertThat(Csv.guard("\n=1+1")).isEqualTo("\n=1+1");
        assertThat(Csv.guard("'=1")).isEqualTo("'=1");
        assertThat(Csv.guard("１＋１")).isEqualTo("１＋１");
    }
}
