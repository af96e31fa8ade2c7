package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = new PasswordPolicy(10);

    @Test
    void acceptsLongUnusualPasswords_includingJapanese() {
        assertThatCode(() -> policy.check("sato", "Kaiun-Sora-2026")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("sato", "かいらんばんをまわす日")).doesNotThrowAnyException();
    }

    @Test
    void refusesShortCommonRepeatedSequentialOrLoginIdPasswords() {
        for (String bad : new String[] {"short", "password123", "aaaaaaaaaaaa", "1234567890", "sato.hanako-2026", "x".repeat(129)}) {
            assertThatThrownBy(() -> policy.check("sato.hanako", bad)).as(bad)
                    .isInstanceOf(KairanException.class)
                    .extracting(e -> ((KairanException) e).code()).isEqualTo(ErrorCode.PASSWORD_POLICY);
        }
    }
}
