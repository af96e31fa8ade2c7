package jp.kairan.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) with HMAC-SHA1, as every authenticator app supports.
 * A code is the RFC 4226 dynamic truncation of {@code HMAC-SHA1(secret, step)}, where
 * {@code step = floor(unixSeconds / period)}.
 *
 * <p>Replay protection is the caller's half of the contract: {@link #verify} returns the step it
 * matched, the caller stores it with the user, and passes it back as {@code lastUsedStep} next time,
 * so a code (or an older one) is accepted at most once.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6238">RFC 6238</a>
 * @see <a href="https://github.com/google/google-authenticator/wiki/Key-Uri-Format">Key URI format</a>
 */
public final class Totp {
    /** Secret length recommended by RFC 4226 section 4 (160 bits, the HMAC-SHA1 output size). */
    public static final int SECRET_BYTES = 20;
    /** Steps accepted on either side of the current one, for clock drift and typing time. */
    static final int WINDOW = 1;

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final int digits;
    private final long periodSeconds;

    /** Six digits, 30-second steps: what authenticator apps assume. */
    public Totp() {
        this(6, Duration.ofSeconds(30));
    }

    /**
     * @param digits code length, 6 to 8
     * @param period step length, a positive whole number of seconds
     */
    public Totp(int digits, Duration period) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("TOTP digits must be 6 to 8, not " + digits);
        }
        if (period.isNegative() || period.isZero() || period.getNano() != 0) {
            throw new IllegalArgumentException("TOTP period must be a positive whole number of seconds, not " + period);
        }
        this.digits = digits;
        this.periodSeconds = period.getSeconds();
    }

    /** A new random secret of {@link #SECRET_BYTES} bytes. */
    public static byte[] newSecret(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    /** The step that contains {@code instant}. */
    public long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), periodSeconds);
    }

    /**
     * The code for {@code timeStep}, zero-padded to the configured number of digits.
     *
     * @throws IllegalArgumentException if {@code secret} is empty
     */
    public String generate(byte[] secret, long timeStep) {
        return new String(code(secret, timeStep), StandardCharsets.US_ASCII);
    }

    /**
     * Checks {@code code} against the steps around {@code now}.
     *
     * @param code         what the user typed; {@code null}, a wrong length or any character other than
     *                     ASCII {@code 0-9} is simply not a match
     * @param lastUsedStep the step returned by the last successful verify for this secret, or
     *                     {@code -1} if there was none; that step and older ones are never accepted again
     * @return the matched step, to be stored as the next {@code lastUsedStep}; empty if no match
     * @throws IllegalArgumentException if {@code secret} is empty
     */
    public OptionalLong verify(byte[] secret, String code, Instant now, long lastUsedStep) {
        byte[] typed = wellFormed(code);
        if (typed == null) {
            return OptionalLong.empty();
        }
        long current = step(now);
        long matched = Long.MIN_VALUE;
        // Compare against every step in the window so the work does not depend on where it matched.
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            boolean equal = MessageDigest.isEqual(code(secret, step), typed);
            if (equal && step > lastUsedStep && matched == Long.MIN_VALUE) {
                matched = step;
            }
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /**
     * The {@code otpauth://} URI that authenticator apps read from a QR code, for example
     * {@code otpauth://totp/Kairan:sato?secret=…&issuer=Kairan&algorithm=SHA1&digits=6&period=30}.
     * Issuer and account are UTF-8 percent-encoded, so Japanese names work.
     *
     * @throws IllegalArgumentException if issuer or account is blank or contains a colon
     */
    public String otpauthUri(String issuer, String account, byte[] secret) {
        requireLabelPart("issuer", issuer);
        requireLabelPart("account", account);
        String encodedIssuer = percentEncode(issuer);
        return "otpauth://totp/" + encodedIssuer + ":" + percentEncode(account)
                + "?secret=" + Base32.encode(secret)
                + "&issuer=" + encodedIssuer
                + "&algorithm=SHA1&digits=" + digits + "&period=" + periodSeconds;
    }

    private byte[] code(byte[] secret, long step) {
        byte[] hash = hmacSha1(secret, ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        int value = binary % POWERS_OF_TEN[digits];
        byte[] out = new byte[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return out;
    }

    private static byte[] hmacSha1(byte[] key, byte[] message) {
        if (key.length == 0) {
            throw new IllegalArgumentException("TOTP secret is empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    private byte[] wellFormed(String code) {
        if (code == null || code.length() != digits) {
            return null;
        }
        byte[] typed = new byte[digits];
        for (int i = 0; i < digits; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            typed[i] = (byte) c;
        }
        return typed;
    }

    private static void requireLabelPart(String name, String value) {
        if (value.isBlank() || value.indexOf(':') >= 0) {
            throw new IllegalArgumentException("otpauth " + name + " must be non-blank and contain no colon");
        }
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (so a space is %20, not +). */
    static String percentEncode(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.write(c);
            } else {
                out.write('%');
                out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
