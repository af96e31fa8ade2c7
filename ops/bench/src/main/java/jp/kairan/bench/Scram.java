package jp.kairan.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SASL SCRAM-SHA-1 (RFC 5802) without channel binding ({@code n,,}), as an XMPP client signs in
 * to ejabberd: client-first, the server's challenge (nonce, salt, iterations), the client proof, and the check of
 * the server's signature in {@code <success/>}.
 */
final class Scram {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GS2_HEADER = "n,,";

    /** After the challenge: the client-final message, and the server signature {@code <success/>} must carry. */
    record Final(String clientFinal, String serverSignature) {
    }

    private Scram() {
    }

    static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** {@code n=<user>,r=<nonce>}. */
    static String clientFirstBare(String user, String nonce) {
        return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
    }

    /** What goes in {@code <auth mechanism='SCRAM-SHA-1'>}, base64. */
    static String clientFirst(String clientFirstBare) {
        return b64(GS2_HEADER + clientFirstBare);
    }

    /**
     * Answers the server-first message ({@code challengeB64}, base64 as in {@code <challenge/>}).
     *
     * @throws IllegalArgumentException when the challenge is malformed or its nonce does not extend ours
     */
    static Final answer(String password, String clientFirstBare, String challengeB64) {
        String serverFirst = new String(Base64.getDecoder().decode(challengeB64.strip()), StandardCharsets.UTF_8);
        String nonce = null;
        String salt = null;
        int iterations = 0;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                nonce = part.substring(2);
            } else if (part.startsWith("s=")) {
                salt = part.substring(2);
            } else if (part.startsWith("i=")) {
                iterations = Integer.parseInt(part.substring(2));
            }
        }
        String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
        if (nonce == null || salt == null || iterations < 1 || !nonce.startsWith(clientNonce)) {
            throw new IllegalArgumentException("Bad SCRAM challenge: " + serverFirst);
        }
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(salt),
                            iterations, 160))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-1").digest(clientKey);
            String withoutProof = "c=" + b64(GS2_HEADER) + ",r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            byte[] serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return new Final(b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)),
                    "v=" + Base64.getEncoder().encodeToString(serverSignature));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-1 needs PBKDF2WithHmacSHA1 and HmacSHA1", e);
        }
    }

    /** Whether {@code <success/>}'s content (base64) carries the expected server signature. */
    static boolean verified(Final expected, String successB64) {
        String v = new String(Base64.getDecoder().decode(successB64.strip()), StandardCharsets.UTF_8);
        return MessageDigest.isEqual(v.getBytes(StandardCharsets.UTF_8),
                expected.serverSignature().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
