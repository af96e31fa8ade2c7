package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierTest {
    private static Classification.Decision underII(String text) {
        return Classifier.defaults().classify(text).decide(ImportanceClass.II);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            山田太郎さん（生活保護受給中）の件で相談です                         | BLOCK
            鈴木一郎（82歳）の固定資産税の滞納について、臨戸します               | BLOCK
            佐々木翔太くんへの虐待の疑いで児相に通告しました                     | BLOCK
            山 田 太 郎さんの生活保護の件                                         | BLOCK
            渡辺美咲さんの住民票の写しを送付してください                         | BLOCK
            グエン・ヴァン・アンさんの住民税の課税証明                           | BLOCK
            ヤマダ タロウさんの滞納の件                                           | BLOCK
            山田○○さんの生活保護の件、明日訪問します                           | ALLOW
            ○○花子さんの保護費の支給について                                     | ALLOW
            山＊太郎さんの滞納整理の件                                             | ALLOW
            高橋〇〇様の滞納の件、分納誓約を受けました                           | ALLOW
            A氏の虐待通告の件、ケース会議を開きます                               | ALLOW
            生活保護の制度説明会は明日です                                       | ALLOW
            生活保護制度の研修講師は福祉課の中島健一係長です                     | ALLOW
            記入例：山田太郎　生活保護申請書                                       | ALLOW
            今年度の滞納件数は前年比5%減です                                     | ALLOW
            山田さんの生活保護の件、確認お願いします                             | WARN
            山田さん（82歳）の生活保護の件                                       | BLOCK
            田中さん、山田太郎さんの生活保護の件お願いします                     | BLOCK
            田中さん、保護費の件お願いします                                     | WARN
            福祉課の田中さん、保護費の件お願いします                             | ALLOW
            マイナンバーは 1234 5678 9018 です                                     | BLOCK
            山田○○さん マイナンバー 123456789018                                 | BLOCK
            注文番号 202610160001 の件                                           | ALLOW
            202610160001                                                         | WARN
            法人番号 7123456789012                                                | ALLOW
            【取扱注意】来年度予算案の資料です                                   | ALLOW
            """)
    void verdictsUnderTheDefaultCeiling(String text, Verdict expected) {
        assertThat(underII(text.strip()).verdict()).as(text).isEqualTo(expected);
    }

    @Test
    void internalMaterialIsClassTwo() {
        Classification c = Classifier.defaults().classify("【取扱注意】来年度予算案の資料です");
        assertThat(c.importance()).isEqualTo(ImportanceClass.II);
        assertThat(c.decide(ImportanceClass.III).verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void emergencyCeilingAllowsClassOne() {
        Classification c = Classifier.defaults().classify("山田太郎さん（生活保護受給中）の件で相談です");
        assertThat(c.importance()).isEqualTo(ImportanceClass.I);
        assertThat(c.decide(ImportanceClass.I).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void topicFindingPointsAtTheNameAndMasksIt() {
        String text = "山田太郎さん（生活保護受給中）の件で相談です";
        List<Finding> causes = underII(text).causes();
        assertThat(causes).hasSize(1);
        Finding f = causes.get(0);
        assertThat(f.detector()).isEqualTo("welfare");
        assertThat(text.substring(f.start(), f.end())).isEqualTo("山田太郎");
        assertThat(f.excerpt()).isEqualTo("山田**");
    }

    @Test
    void orgTermsExtendTheDictionaries() {
        String text = "佐藤花子さんの緊急小口資金の件";
        assertThat(underII(text).verdict()).isEqualTo(Verdict.ALLOW);
        Terms terms = Terms.builtIn().withOrgTerms(List.of(new Terms.Term(Topic.WELFARE, Terms.Kind.CUE, "緊急小口資金")));
        assertThat(new Classifier(terms).classify(text).decide(ImportanceClass.II).verdict()).isEqualTo(Verdict.BLOCK);
    }
}
