package jp.kairan.server.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jp.kairan.server.error.KairanException;
import org.junit.jupiter.api.Test;

class FieldsTest {
    @Test
    void localGovernmentCodes_checkDigit() {
        // 札幌市 011002, 東京都 130001, 千代田区 131016, 大阪市 271004, 那覇市 472018
        for (String ok : new String[] {"011002", "130001", "131016", "271004", "472018"}) {
            assertThat(Fields.lgCode(ok)).isEqualTo(ok);
        }
        assertThat(Fields.lgCode("０１１００２")).as("full-width digits").isEqualTo("011002");
        assertThat(Fields.lgCode(" ")).isNull();
        for (String bad : new String[] {"011003", "01100", "0110020", "01100a"}) {
            assertThatThrownBy(() -> Fields.lgCode(bad)).isInstanceOf(KairanException.class)
                    .extracting(e -> ((KairanException) e).field()).isEqualTo("lgCode");
        }
    }

    @Test
    void loginIds_areNormalizedAndValidated() {
        assertThat(Fields.loginId("  Sato.Hanako ")).isEqualTo("sato.hanako");
        assertThat(Fields.loginId("ＳＡＴＯ＠city")).isEqualTo("sato@city");
        assertThatThrownBy(() -> Fields.loginId("佐藤")).isInstanceOf(KairanException.class);
        assertThatThrownBy(() -> Fields.loginId("ab")).isInstanceOf(KairanException.class);
        assertThatThrownBy(() -> Fields.loginId("a".repeat(65))).isInstanceOf(KairanException.class);
    }

    @Test
    void names_areTrimmedAndBounded() {
        assertThat(Fields.name("displayName", "  鈴木 一郎 ")).isEqualTo("鈴木 一郎");
        assertThat(Fields.name("displayName", "👩‍💼".repeat(10))).isNotEmpty();
        assertThatThrownBy(() -> Fields.name("displayName", "  ")).isInstanceOf(KairanException.class);
        assertThatThrownBy(() -> Fields.name("displayName", "a\u0000b")).isInstanceOf(KairanException.class);
        assertThatThrownBy(() -> Fields.name("displayName", "あ".repeat(101))).isInstanceOf(KairanException.class);
    }

    @Test
    void names_refuseBidiZeroWidthAndLoneSurrogates_namingTheField() {
        for (String bad : new String[] {"invoice\u202Egpj.exe", "佐\u200B藤", "\u2067佐藤", "佐藤\uD800", "佐\u00AD藤"}) {
            assertThatThrownBy(() -> Fields.name("displayName", bad)).isInstanceOf(KairanException.class)
                    .extracting(e -> ((KairanException) e).field()).isEqualTo("displayName");
        }
        assertThatThrownBy(() -> Fields.text("reason", "紛失\u202E", 200)).hasMessageContaining("U+202E");
    }

    @Test
    void emails() {
        assertThat(Fields.email("sato@city.example.lg.jp")).isEqualTo("sato@city.example.lg.jp");
        assertThat(Fields.email("")).isNull();
        assertThatThrownBy(() -> Fields.email("sato@localhost")).isInstanceOf(KairanException.class);
        assertThatThrownBy(() -> Fields.email("not an email")).isInstanceOf(KairanException.class);
    }
}
