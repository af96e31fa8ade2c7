package jp.kairan.server.auth;

/**
 * Base32 with the RFC 4648 section 6 alphabet, as authenticator apps expect TOTP secrets.
 * Encoding is upper case without padding; decoding ignores case, spaces, hyphens and trailing
 * {@code =} padding, since people copy secrets by hand. Stateless and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4648#section-6">RFC 4648 section 6</a>
 */
public final class Base32 {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Base32() {
    }

    /** Encodes {@code data} as upper-case Base32 without padding. */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    /**
     * Decodes Base32 text.
     *
     * @throws IllegalArgumentException if {@code text} has a character outside the alphabet,
     *         padding before the end, or a length no encoder produces
     */
    public static byte[] decode(String text) {
        String s = strip(text);
        int tail = s.length() % 8;
        if (tail == 1 || tail == 3 || tail == 6) {
            throw new IllegalArgumentException("Base32 text has an impossible length of " + s.length() + " symbols");
        }
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            buffer = (buffer << 5) | value(s.charAt(i), i);
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    private static String strip(String text) {
        StringBuilder s = new StringBuilder(text.length());
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '=' || text.charAt(end - 1) == ' ')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '-') {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static int value(char c, int position) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        throw new IllegalArgumentException("Base32 text has an invalid character at symbol " + position);
    }
}
