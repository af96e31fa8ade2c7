package jp.kairan.server.auth;

import org.junit.jupiter.api.Test;

class LoginServiceTest {
    @Test
    void oneTimeCodesTypedWithAJapaneseImeAreNormalized() {
        org.assertj.core.api.Assertions.assertThat(LoginService.normalizeCode("１２３ ４５６")).isEqualTo("123456");
        org.assertj.core.api.Assertions.assertThat(LoginService.normalizeCode("123-456")).isEqualTo("123456");
        org.assertj.core.api.Assertions.assertThat(LoginService.normalizeCode(null)).isNull();
    }

    @Test
    void masksEmailAddresses() {
        org.assertj.core.api.Assertions.assertThat(LoginService.maskEmail("yamada@city.example.jp")).isEqualTo("y*****@city.example.jp");
        org.assertj.core.api.Assertions.assertThat(LoginService.maskEmail("a@b.jp")).isEqualTo("a***@b.jp");
    }
}
