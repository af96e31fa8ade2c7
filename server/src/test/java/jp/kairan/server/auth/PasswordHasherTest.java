package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    /**
     * Made by libargon2 20190702 (Debian's {@code argon2} command):
     * {@code echo -n 'correct horse battery staple' | argon2 KairanFixtureSlt -id -t 2 -k 19456 -p 1 -l 32 -e}
     */
    private static final String LIBARGON2_ASCII =
            "$argon2id$v=19$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU";
    /** {@code echo -n 'kairan-パスワード-2025' | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e} (UTF-8). */
    private static final String LIBARGON2_JAPANESE =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$Y2e0EamubNKawHbYYV8puq6FICTFEJwp/G1aXXZM4pM";
    /** {@code echo -n 'correct horse battery staple' | argon2 KairanFixtureSlt -id -t 3 -k 12288 -p 2 -l 32 -e} */
    private static final String LIBARGON2_TWO_LANES =
            "$argon2id$v=19$m=12288,t=3,p=2$S2FpcmFuRml4dHVyZVNsdA$vmmpgwNuOdBL9SzJGTjZjHOi/VqYhh599BjyWGayZ+E";

    private static final PasswordHasher hasher = new PasswordHasher(Argon2Params.DEFAULT, new SecureRandom());

    @Test
    void hash_roundTrips() {
        String phc = hasher.hash("s3cret-パス".toCharArray());

        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("s3cret-パス".toCharArray(), phc)).isTrue();
    }

    @Test
    void hash_saltsEveryHash() {
        assertThat(hasher.hash("same".toCharArray())).isNotEqualTo(hasher.hash("same".toCharArray()));
    }

    @Test
    void hash_leavesThePasswordArrayAlone() {
        char[] password = "unchanged".toCharArray();
        hasher.hash(password);

        assertThat(password).containsExactly("unchanged".toCharArray());
    }

    @Test
    void verify_rejectsWrongPassword() {
        String phc = hasher.hash("right".toCharArray());

        assertThat(hasher.verify("wrong".toCharArray(), phc)).isFalse();
        assertThat(hasher.verify("Right".toCharArray(), phc)).isFalse();
        assertThat(hasher.verify("".toCharArray(), phc)).isFalse();
    }

    @Test
    void verify_acceptsHashesMadeByLibargon2() {
        assertThat(hasher.verify("correct horse battery staple".toCharArray(), LIBARGON2_ASCII)).isTrue();
        assertThat(hasher.verify("kairan-パスワード-2025".toCharArray(), LIBARGON2_JAPANESE)).isTrue();
        assertThat(hasher.verify("correct horse battery staple".toCharArray(), LIBARGON2_TWO_LANES)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler".toCharArray(), LIBARGON2_ASCII)).isFalse();
    }

    @Test
    void verify_normalizesHalfWidthKatakanaAndFullWidthLetters() {
        // NFKC: half-width ﾊﾟｽﾜｰﾄﾞ is パスワード, full-width ｋａｉｒａｎ is kairan.
        assertThat(hasher.verify("ｋａｉｒａｎ-ﾊﾟｽﾜｰﾄﾞ-２０２５".toCharArray(), LIBARGON2_JAPANESE)).isTrue();
    }

    @Test
    void verify_rejectsTamperedHashes() {
        String phc = LIBARGON2_ASCII;
        char[] password = "correct horse battery staple".toCharArray();

        String flippedHash = phc.substring(0, phc.length() - 2) + (phc.charAt(phc.length() - 2) == 'A' ? 'B' : 'A') + phc.charAt(phc.length() - 1);
        assertThat(hasher.verify(password, flippedHash)).isFalse();
        assertThat(hasher.verify(password, phc.replace("$S2FpcmFu", "$T2FpcmFu"))).isFalse();
        assertThat(hasher.verify(password, phc.replace("t=2", "t=3"))).isFalse();
        assertThat(hasher.verify(password, phc.replace("m=19456", "m=19457"))).isFalse();
        assertThat(hasher.verify(password, phc.substring(0, phc.length() - 1))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "plaintext",
            "$argon2i$v=19$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=16$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=19$t=2,m=19456,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=19$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA==$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=19$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU$",
            "$argon2id$v=19$m=9999999,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=19$m=19456,t=0,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=19$m=19456,t=2,p=0$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
            "$argon2id$v=19$m=19456,t=2,p=1$S2FpcmFuRml4dHVyZVNsdA$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00R",
            "$argon2id$v=19$m=19456,t=2,p=1$S2Fp$ntbRbNGCWsiuqf4gaFaCSGcjucv+ueG38quv3Y00RjU",
    })
    void verify_rejectsMalformedStringsWithADiagnosticException(String phc) {
        assertThatThrownBy(() -> hasher.verify("x".toCharArray(), phc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("ntbRbNGC");
    }

    @Test
    void verifyDummy_isAlwaysFalse() {
        assertThat(hasher.verifyDummy("anything".toCharArray())).isFalse();
        assertThat(hasher.verifyDummy("".toCharArray())).isFalse();
    }

    @Test
    void needsRehash_whenParametersDiffer() {
        PasswordHasher stronger = new PasswordHasher(new Argon2Params(19_456, 3, 1), new SecureRandom());

        assertThat(hasher.needsRehash(hasher.hash("pw".toCharArray()))).isFalse();
        assertThat(hasher.needsRehash(LIBARGON2_ASCII)).isFalse();
        assertThat(hasher.needsRehash(LIBARGON2_TWO_LANES)).isTrue();
        assertThat(stronger.needsRehash(LIBARGON2_ASCII)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"47104, 1", "19456, 2", "12288, 3", "9216, 4", "7168, 5", "65536, 3", "19456, 5"})
    void params_acceptOwaspMinimumsAndStronger(int memoryKib, int iterations) {
        assertThat(new Argon2Params(memoryKib, iterations, 1).memoryKib()).isEqualTo(memoryKib);
    }

    @ParameterizedTest
    @CsvSource({
            "47103, 1, 1", "19455, 2, 1", "12287, 3, 1", "9215, 4, 1", "7167, 5, 1", "7167, 64, 1",
            "4096, 3, 1", "19456, 1, 1", "19456, 2, 0", "19456, 2, 17", "19456, 65, 1", "2000000, 2, 1",
    })
    void params_rejectWeakerThanOwaspOrBeyondBounds(int memoryKib, int iterations, int parallelism) {
        assertThatThrownBy(() -> new Argon2Params(memoryKib, iterations, parallelism))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
