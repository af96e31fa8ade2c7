package jp.kairan.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Random tokens, generated passwords and their hashes for storage. Thread-safe. */
final class Secrets {
    private static final byte[] SEAL_LABEL = "kairan refresh successor v1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** No 0/O, 1/l/I: initial passwords are read off a screen and typed. */
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    private final SecureRandom random;

    Secrets(SecureRandom random) {
        this.random = random;
    }

    /** A URL-safe random token of 256 bits. */
    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A 16-character password in groups of four (about 93 bits), e.g. {@code Kp7x-…}. */
    String initialPassword() {
        StringBuilder sb = new StringBuilder(19);
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A six-digit one-time code. */
    String sixDigits() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    SecureRandom random() {
        return random;
    }

    /** Hex SHA-256 of a token: what is stored instead of the token. */
    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Seals {@code secret} so that only a holder of {@code token} can open it: AES-256-GCM under
     * {@code HMAC-SHA256(key = token, SEAL_LABEL)}, a random IV; URL-safe base64 of IV and ciphertext (95 characters
     * for a token).
     */
    String seal(String token, String secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, sealKey(token), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    /** Opens what {@link #seal} sealed with the same {@code token}; null when the token or the seal is wrong. */
    String open(String token, String sealed) {
        try {
            byte[] b = Base64.getUrlDecoder().decode(sealed);
            if (b.length <= IV_BYTES) {
                return null;
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, sealKey(token), new GCMParameterSpec(TAG_BITS, b, 0, IV_BYTES));
            return new String(c.doFinal(b, IV_BYTES, b.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }

    private static SecretKeySpec sealKey(String token) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return new SecretKeySpec(mac.doFinal(SEAL_LABEL), "AES");
    }

    /** Constant-time comparison of two hex hashes. */
    static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
