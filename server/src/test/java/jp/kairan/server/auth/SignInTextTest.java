package jp.kairan.server.auth;

import org.junit.jupiter.api.Test;

class SignInTextTest {
    @Test
    void oneTimeCodesTypedWithAJapaneseImeAreNormalized() {
        org.assertj.core.api.Assertions.assertThat(SignInText.normalizeCode("１２３ ４５６")).isEqualTo("123456");
        org.assertj.core.api.Assertions.assertThat(SignInText.normalizeCode("123-456")).isEqualTo("123456");
        org.assertj.core.api.Assertions.assertThat(SignInText.normalizeCode(null)).isNull();
    }

    @Test
    void masksEmailAddresses() {
        org.assertj.core.api.Assertions.assertThat(SignInText.maskEmail("yamada@city.example.jp")).isEqualTo("y*****@city.example.jp");
        org.assertj.core.api.Assertions.assertThat(SignInText.maskEmail("a@b.jp")).isEqualTo("a***@b.jp");
    }
}
