package jp.kairan.server.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and verifies passwords with Argon2id (RFC 9106), stored as PHC strings in the same format as
 * the reference implementation, libargon2:
 * <pre>
 * $argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;     salt 16 bytes, hash 32 bytes,
 *                                                  both standard Base64 without padding
 * </pre>
 * Passwords are encoded as UTF-8; one that contains non-ASCII characters is first normalized to NFKC
 * (NIST SP 800-63B 5.1.1.2), so full-width and half-width forms of the same password match. ASCII
 * passwords hash exactly as {@code argon2} on the command line hashes them.
 *
 * <p>Every method is CPU- and memory-bound (one hash takes {@code memoryKib} of heap and tens of
 * milliseconds): call it from a bounded worker pool, never from an I/O thread. Thread-safe.
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");

    private final Argon2Params params;
    private final SecureRandom random;
    private final String dummy;

    /**
     * Creates a hasher; this computes one hash (for {@link #verifyDummy}), so it takes as long as a verify.
     *
     * @param params cost of new hashes; existing hashes are verified with the cost they record
     * @param random source of salts
     */
    public PasswordHasher(Argon2Params params, SecureRandom random) {
        this.params = params;
        this.random = random;
        byte[] unguessable = new byte[SALT_BYTES];
        random.nextBytes(unguessable);
        this.dummy = hash(Base64.getEncoder().encodeToString(unguessable).toCharArray());
    }

    /** Hashes {@code password} with a fresh random salt and this hasher's parameters. Does not modify {@code password}. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Stored stored = new Stored(params.memoryKib(), params.iterations(), params.parallelism(), salt, new byte[HASH_BYTES]);
        derive(password, stored, stored.hash);
        return stored.encode();
    }

    /**
     * Checks {@code password} against a stored hash in constant time, using the parameters in the hash.
     *
     * @throws IllegalArgumentException if {@code phc} is not an Argon2id v19 PHC string within sane bounds
     */
    public boolean verify(char[] password, String phc) {
        Stored stored = Stored.parse(phc);
        byte[] actual = new byte[stored.hash.length];
        derive(password, stored, actual);
        return MessageDigest.isEqual(actual, stored.hash);
    }

    /**
     * Does the work of {@link #verify} against a hash of an unguessable password made with this
     * hasher's parameters, and returns {@code false}. Call it when the login ID does not exist, so
     * that response time does not tell whether it does.
     */
    public boolean verifyDummy(char[] password) {
        verify(password, dummy);
        return false;
    }

    /**
     * Whether a hash was made with other parameters than this hasher's, so that it should be
     * replaced with {@link #hash} after the next successful {@link #verify}.
     *
     * @throws IllegalArgumentException if {@code phc} is not an Argon2id v19 PHC string within sane bounds
     */
    public boolean needsRehash(String phc) {
        Stored stored = Stored.parse(phc);
        return stored.memoryKib != params.memoryKib() || stored.iterations != params.iterations()
                || stored.parallelism != params.parallelism()
                || stored.salt.length != SALT_BYTES || stored.hash.length != HASH_BYTES;
    }

    /** The parameters of new hashes. */
    public Argon2Params params() {
        return params;
    }

    private static void derive(char[] password, Stored stored, byte[] out) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(stored.memoryKib)
                .withIterations(stored.iterations)
                .withParallelism(stored.parallelism)
                .withSalt(stored.salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] bytes = utf8(password);
        try {
            generator.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** UTF-8 of the password (NFKC first if not ASCII), without going through a String for ASCII passwords. */
    static byte[] utf8(char[] password) {
        CharBuffer chars = CharBuffer.wrap(password);
        for (char c : password) {
            if (c > 0x7f) {
                chars = CharBuffer.wrap(Normalizer.normalize(chars, Normalizer.Form.NFKC));
                break;
            }
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            ByteBuffer encoded = encoder.encode(chars);
            byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.arrayOffset(), encoded.arrayOffset() + encoded.limit());
            Arrays.fill(encoded.array(), (byte) 0);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 encoding with REPLACE cannot fail", e);
        }
    }

    /** The fields of a PHC string. */
    private static final class Stored {
        final int memoryKib;
        final int iterations;
        final int parallelism;
        final byte[] salt;
        final byte[] hash;

        Stored(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
            this.memoryKib = memoryKib;
            this.iterations = iterations;
            this.parallelism = parallelism;
            this.salt = salt;
            this.hash = hash;
        }

        static Stored parse(String phc) {
            Matcher m = PHC.matcher(phc);
            if (!m.matches()) {
                throw new IllegalArgumentException("Not an Argon2id v19 PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)");
            }
            int memoryKib = Integer.parseInt(m.group(1));
            int iterations = Integer.parseInt(m.group(2));
            int parallelism = Integer.parseInt(m.group(3));
            Argon2Params.requireSane(memoryKib, iterations, parallelism);
            Base64.Decoder b64 = Base64.getDecoder();
            try {
                return new Stored(memoryKib, iterations, parallelism, b64.decode(m.group(4)), b64.decode(m.group(5)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PHC string has invalid Base64 in its salt or hash", e);
            }
        }

        String encode() {
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                    + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        }
    }
}
