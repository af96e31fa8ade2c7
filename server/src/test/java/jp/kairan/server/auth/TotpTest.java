package jp.kairan.server.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {
    /** The SHA-1 seed of RFC 6238 Appendix B. */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(US_ASCII);
    private static final Instant NOW = Instant.parse("2025-04-01T09:00:10Z");

    private final Totp totp = new Totp();
    private final byte[] secret = Totp.newSecret(new SecureRandom());

    @ParameterizedTest
    @CsvSource({
            "59, 94287082",
            "1111111109, 07081804",
            "1111111111, 14050471",
            "1234567890, 89005924",
            "2000000000, 69279037",
            "20000000000, 65353130",
    })
    void generate_matchesRfc6238AppendixB(long unixSeconds, String expected) {
        Totp rfc = new Totp(8, Duration.ofSeconds(30));
        long step = rfc.step(Instant.ofEpochSecond(unixSeconds));

        assertThat(rfc.generate(RFC_SEED, step)).isEqualTo(expected);
        assertThat(rfc.verify(RFC_SEED, expected, Instant.ofEpochSecond(unixSeconds), -1)).hasValue(step);
    }

    @Test
    void generate_sixDigitsAreTheLastSixOfTheRfcCodes() {
        // Truncation is value mod 10^digits, so 6-digit codes are the 8-digit ones' last six digits.
        assertThat(totp.generate(RFC_SEED, 59 / 30)).isEqualTo("287082");
        assertThat(totp.generate(RFC_SEED, 1111111109L / 30)).isEqualTo("081804");
        assertThat(totp.generate(RFC_SEED, 20000000000L / 30)).isEqualTo("353130");
    }

    @Test
    void generate_matchesAnIndependentImplementation() throws Exception {
        Random random = new Random(6238);
        TimeBasedOneTimePasswordGenerator six = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6);
        TimeBasedOneTimePasswordGenerator eight = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(60), 8);
        Totp ours8 = new Totp(8, Duration.ofSeconds(60));
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + random.nextInt(64)];
            random.nextBytes(key);
            Instant at = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE) * 2L);
            SecretKeySpec spec = new SecretKeySpec(key, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

            assertThat(totp.generate(key, totp.step(at))).isEqualTo(six.generateOneTimePasswordString(spec, at, Locale.ROOT));
            assertThat(ours8.generate(key, ours8.step(at))).isEqualTo(eight.generateOneTimePasswordString(spec, at, Locale.ROOT));
        }
    }

    @Test
    void verify_acceptsOneStepEitherSide() {
        long step = totp.step(NOW);

        assertThat(totp.verify(secret, totp.generate(secret, step - 1), NOW, -1)).hasValue(step - 1);
        assertThat(totp.verify(secret, totp.generate(secret, step), NOW, -1)).hasValue(step);
        assertThat(totp.verify(secret, totp.generate(secret, step + 1), NOW, -1)).hasValue(step + 1);
    }

    @Test
    void verify_rejectsTwoStepsAway() {
        long step = totp.step(NOW);

        assertThat(totp.verify(secret, totp.generate(secret, step - 2), NOW, -1)).isEmpty();
        assertThat(totp.verify(secret, totp.generate(secret, step + 2), NOW, -1)).isEmpty();
    }

    @Test
    void verify_rejectsReplayOfTheSameOrAnEarlierStep() {
        long step = totp.step(NOW);
        String code = totp.generate(secret, step);
        long used = totp.verify(secret, code, NOW, -1).orElseThrow();

        assertThat(totp.verify(secret, code, NOW, used)).isEmpty();
        assertThat(totp.verify(secret, code, NOW.plusSeconds(29), used)).isEmpty();
        assertThat(totp.verify(secret, totp.generate(secret, step - 1), NOW, used)).isEmpty();
        assertThat(totp.verify(secret, totp.generate(secret, step + 1), NOW, used)).hasValue(step + 1);
    }

    @Test
    void verify_rejectsAnotherSecretsCode() {
        byte[] other = Totp.newSecret(new SecureRandom());

        assertThat(totp.verify(secret, totp.generate(other, totp.step(NOW)), NOW, -1)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1234567", "12345a", "-12345", "+12345", " 12345", "123 45", "１２３４５６", "١٢٣٤٥٦"})
    void verify_rejectsMalformedCodesWithoutThrowing(String code) {
        assertThat(totp.verify(secret, code, NOW, -1)).isEmpty();
        assertThat(totp.verify(secret, null, NOW, -1)).isEmpty();
    }

    @Test
    void newSecret_is160RandomBits() {
        SecureRandom random = new SecureRandom();

        assertThat(Totp.newSecret(random)).hasSize(20).isNotEqualTo(Totp.newSecret(random));
    }

    @Test
    void otpauthUri_hasTheKeyUriFormat() {
        byte[] key = "12345678901234567890".getBytes(US_ASCII);

        assertThat(totp.otpauthUri("Kairan", "sato@city.example.lg.jp", key)).isEqualTo(
                "otpauth://totp/Kairan:sato%40city.example.lg.jp?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        + "&issuer=Kairan&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void otpauthUri_percentEncodesJapaneseAndSpaces() {
        String uri = totp.otpauthUri("Kairan 回覧 (○○市)", "佐藤 花子", secret);

        assertThat(uri).startsWith("otpauth://totp/Kairan%20%E5%9B%9E%E8%A6%A7%20%28%E2%97%8B%E2%97%8B%E5%B8%82%29:"
                + "%E4%BD%90%E8%97%A4%20%E8%8A%B1%E5%AD%90?secret=");
        URI parsed = URI.create(uri);
        assertThat(parsed.getScheme()).isEqualTo("otpauth");
        assertThat(parsed.getPath()).isEqualTo("/Kairan 回覧 (○○市):佐藤 花子");
        assertThat(URLDecoder.decode(parsed.getRawQuery().split("&")[1], StandardCharsets.UTF_8))
                .isEqualTo("issuer=Kairan 回覧 (○○市)");
        assertThat(Base32.decode(parsed.getRawQuery().split("&")[0].substring("secret=".length()))).isEqualTo(secret);
    }

    @Test
    void otpauthUri_rejectsColonsAndBlanks() {
        assertThatThrownBy(() -> totp.otpauthUri("Kai:ran", "sato", secret)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> totp.otpauthUri("Kairan", "a:b", secret)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> totp.otpauthUri(" ", "sato", secret)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_rejectsUnsupportedParameters() {
        assertThatThrownBy(() -> new Totp(5, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp(9, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp(6, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp(6, Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "'', ''",
            "f, MY",
            "fo, MZXQ",
            "foo, MZXW6",
            "foob, MZXW6YQ",
            "fooba, MZXW6YTB",
            "foobar, MZXW6YTBOI",
    })
    void base32_matchesRfc4648Vectors(String plain, String encoded) {
        byte[] bytes = plain.getBytes(US_ASCII);

        assertThat(Base32.encode(bytes)).isEqualTo(encoded);
        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
        String padded = encoded + "=".repeat((8 - encoded.length() % 8) % 8);
        assertThat(Base32.decode(padded)).isEqualTo(bytes);
        assertThat(Base32.decode(padded.toLowerCase())).isEqualTo(bytes);
    }

    @Test
    void base32_toleratesHowPeopleCopySecrets() {
        assertThat(Base32.decode("mzxw 6ytb oi")).isEqualTo("foobar".getBytes(US_ASCII));
        assertThat(Base32.decode("MZXW-6YTB-OI======")).isEqualTo("foobar".getBytes(US_ASCII));
    }

    @Test
    void base32_roundTripsRandomBytes() {
        Random random = new Random(4648);
        for (int length = 0; length < 64; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);

            assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW1", "MZXW6YT8", "MZ=XW", "M", "MZX", "MZXW6Y"})
    void base32_rejectsInvalidText(String text) {
        assertThatThrownBy(() -> Base32.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
