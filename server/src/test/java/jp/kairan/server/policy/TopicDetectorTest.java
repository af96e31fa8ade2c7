package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicDetectorTest {
    private static List<Finding> find(String text) {
        return TopicDetector.find(text, FoldedText.of(text), Terms.builtIn());
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            山田太郎さん（生活保護受給中）               | welfare           | BLOCK
            鈴木一郎さんの固定資産税の課税額             | tax               | BLOCK
            鈴木一郎さんの滞納、差押えを検討             | arrears           | BLOCK
            佐々木翔太くんへの虐待の疑い                 | abuse             | BLOCK
            渡辺美咲さんの住民票の写し                   | resident_registry | BLOCK
            渡辺美咲さんの顛末簿を更新                   | case_record       | BLOCK
            山田さんの保護費の件                         | welfare           | WARN
            山田さん（82歳）の保護費の件                 | welfare           | BLOCK
            西村（H2.11.3生）の住基照会                   | resident_registry | BLOCK
            ケース番号 R4-0877、保護費の追加支給         | welfare           | WARN
            Ｂさん（仮名）、東町2丁目7-15、保護開始決定  | welfare           | BLOCK
            """)
    void aLedgerWordAboutAPerson(String text, String detector, Verdict verdict) {
        List<Finding> found = find(text.strip());
        assertThat(found).as(text).anySatisfy(f -> {
            assertThat(f.detector()).isEqualTo(detector);
            assertThat(f.verdict()).isEqualTo(verdict);
            assertThat(f.importance()).isEqualTo(ImportanceClass.I);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            生活保護の制度説明会は明日です
            今年度の滞納件数は前年比5%減です
            山田○○さんの生活保護の件
            記入例：山田太郎　生活保護申請書
            生活保護制度の研修講師は福祉課の中島健一係長です
            山田さんの件、制度の説明をしました（生活保護）
            山田太郎さんと明日ランチに行きます
            """)
    void nothingClassOne(String text) {
        assertThat(find(text.strip())).as(text).noneMatch(f -> f.importance() == ImportanceClass.I && f.certain());
    }

    @Test
    void internalMarkersAreClassTwoWithoutAPerson() {
        List<Finding> found = find("【取扱注意】来年度予算案");
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("internal");
            assertThat(f.importance()).isEqualTo(ImportanceClass.II);
            assertThat(f.excerpt()).isEqualTo("取扱注意");
        });
    }

    @Test
    void withoutALedgerWordTheTokenizerIsNeverAsked() {
        assertThat(find("山田太郎さんと明日ランチに行きます")).isEmpty();
    }
}
