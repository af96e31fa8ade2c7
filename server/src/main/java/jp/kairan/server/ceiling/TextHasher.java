package jp.kairan.server.ceiling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash of a text for the audit trail: HMAC-SHA-256 of its NFC form under the server's key, base64url.
 * Equal texts give equal hashes, so an auditor holding a text can match it; without the key the hash reveals
 * nothing, not even for short or guessable texts. Thread-safe.
 */
final class TextHasher {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    TextHasher(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    String hash(String text) {
        Mac mac = macs.get();
        byte[] digest = mac.doFinal(Normalizer.normalize(text, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
