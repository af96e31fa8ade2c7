package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = new PasswordPolicy(10);

    @Test
    void acceptsLongUnusualPasswords_includingJapanese() {
        assertThatCode(() -> policy.check("sato", "Kaiun-Sora-2026")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("sato", "かいらんばんをまわす日")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("sato.hanako", "Tsubame 7 Kumo no Ue")).doesNotThrowAnyException();
    }

    @Test
    void refusesShortCommonRepeatedSequentialOrLoginIdPasswords() {
        for (String bad : new String[] {"short", "password123", "aaaaaaaaaaaa", "1234567890", "sato.hanako-2026", "x".repeat(129)}) {
            assertThatThrownBy(() -> policy.check("sato.hanako", bad)).as(bad)
                    .isInstanceOf(KairanException.class)
                    .extracting(e -> ((KairanException) e).code()).isEqualTo(ErrorCode.PASSWORD_POLICY);
        }
    }

    @Test
    void refusesCommonAndBreachedPasswords_caseAndWidthFolded_andWithDigitsOrSymbolsAppended() {
        for (String bad : new String[] {"Password1234", "PASSWORD1234", "Ｐａｓｓｗｏｒｄ１２３４", "qwerty123456", "Qwertyuiop!",
                "iloveyou2026", "sunshine!!!!", "1qaz2wsx3edc", "Kairanban2026", "shiyakusho1", "Sakura20260401",
                "Doraemon1234", "baseball1234", "Football#1", "1q2w3e4r5t6y", "trustno1trustno1"}) {
            assertRefused("sato.hanako", bad, PasswordPolicy.Rule.COMMON);
        }
    }

    @Test
    void refusesTheLoginIdAndItsObviousDerivatives() {
        for (String bad : new String[] {"sato.hanako", "SATO.HANAKO1", "satohanako2026", "Sato-Hanako!!", "ｓａｔｏ．ｈａｎａｋｏ99",
                "my-sato_hanako-pw"}) {
            assertRefused("sato.hanako", bad, PasswordPolicy.Rule.LOGIN_ID);
        }
    }

    @Test
    void theRuleIsTheDetail_andTheFieldIsNewPassword() {
        KairanException e = catchRefusal("sato", "Password1234");
        assertThat(e.field()).isEqualTo("newPassword");
        assertThat(e.detail()).isEqualTo("common");
        assertThat(catchRefusal("sato", "short").detail()).isEqualTo("too_short");
    }

    @Test
    void theListShipsWithItsSourceAndThousandsOfEntries() throws IOException {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(PasswordPolicy.LIST)) {
            assertThat(in).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text.lines().filter(l -> l.startsWith("#"))).anyMatch(l -> l.contains("Source:"));
            assertThat(text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count()).isGreaterThan(5_000);
            assertThat(text.lines().filter(l -> !l.startsWith("#"))).allMatch(l -> l.equals(PasswordPolicy.fold(l)));
        }
    }

    private void assertRefused(String loginId, String password, PasswordPolicy.Rule rule) {
        KairanException e = catchRefusal(loginId, password);
        assertThat(e).as(password).isNotNull();
        assertThat(e.code()).as(password).isEqualTo(ErrorCode.PASSWORD_POLICY);
        assertThat(e.detail()).as(password).isEqualTo(rule.wire);
    }

    private KairanException catchRefusal(String loginId, String password) {
        try {
            policy.check(loginId, password);
            return null;
        } catch (KairanException e) {
            return e;
        }
    }
}
