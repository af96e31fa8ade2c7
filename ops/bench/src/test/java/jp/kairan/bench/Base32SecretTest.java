package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Base32SecretTest {

    @Test
    void decodesRfc4648Vectors() {
        assertThat(Base32Secret.decode("MZXW6YTBOI")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base32Secret.decode("MZXW6YQ=")).isEqualTo("foob".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base32Secret.decode("mzxw 6-ytb oi")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void encodeThenDecodeIsIdentity() {
        byte[] secret = new byte[20];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 37 + 11);
        }
        assertThat(Base32Secret.decode(Base32Secret.encode(secret))).isEqualTo(secret);
    }

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        assertThatThrownBy(() -> Base32Secret.decode("MZXW1")).isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 6238 appendix B, SHA-1, T = 59 s (step 1): the bench's codes are the server's codes. */
    @Test
    void decodedSecretGivesTheRfc6238Code() {
        byte[] secret = Base32Secret.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(secret).isEqualTo("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        assertThat(Account.TOTP.generate(secret, 1)).isEqualTo("287082");
    }
}
