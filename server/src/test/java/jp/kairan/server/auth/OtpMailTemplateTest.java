package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OtpMailTemplateTest {

    @Test
    void body_isJapaneseThenEnglish() {
        String body = OtpMailTemplate.body("123456", Duration.ofMinutes(5));

        assertThat(body).contains("    123456\n", "有効期限は 5 分", "システム管理者", "sign-in code is 123456",
                "valid for 5 minutes", "contact your administrator");
        assertThat(body.indexOf("システム管理者")).isLessThan(body.indexOf("administrator"));
    }

    @Test
    void body_saysOneMinuteInTheSingular() {
        assertThat(OtpMailTemplate.body("123456", Duration.ofMinutes(1))).contains("valid for 1 minute.");
    }

    @Test
    void subject_doesNotCarryTheCode() {
        assertThat(OtpMailTemplate.SUBJECT).isEqualTo("Kairan サインイン用確認コード / Sign-in code").doesNotContainPattern("\\d");
    }

    @Test
    void body_rejectsNonDigitCodesAndPartialMinutes() {
        assertThatThrownBy(() -> OtpMailTemplate.body("12345x", Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpMailTemplate.body("", Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpMailTemplate.body("123456", Duration.ofSeconds(90))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpMailTemplate.body("123456", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
