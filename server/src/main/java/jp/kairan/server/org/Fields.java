package jp.kairan.server.org;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;
import jp.kairan.server.access.LoginIds;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.text.UnicodeRules;

/** Validation and normalization of the fields users type. Stateless. */
public final class Fields {
    private static final Pattern LOGIN_ID = Pattern.compile("[a-z0-9._@-]{3,64}");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]{1,189}\\.[^\\s@.]{2,}");
    private static final Pattern LG_CODE = Pattern.compile("[0-9]{6}");
    private static final int MAX_NAME_CHARS = 100;

    private Fields() {
    }

    /**
     * Normalizes a login ID as typed (NFKC, so full-width letters work; trimmed; lower case). Does not validate:
     * sign-in looks up whatever is typed.
     */
    public static String normalizeLoginId(String raw) {
        return LoginIds.normalize(raw);
    }

    /** A normalized, valid login ID for a new user. */
    public static String loginId(String raw) {
        String id = normalizeLoginId(raw);
        if (!LOGIN_ID.matcher(id).matches()) {
            throw KairanException.invalidField("loginId", "3-64 characters of a-z 0-9 . _ - @");
        }
        return id;
    }

    /** A display, department or organization name: see {@link #text}. */
    public static String name(String field, String raw) {
        return text(field, raw, MAX_NAME_CHARS);
    }

    /**
     * A line of text users type (names, reasons): NFC, trimmed, 1..{@code max} characters, and none of the characters
     * {@link UnicodeRules#forbiddenInName} refuses (controls, bidi and zero-width characters, unpaired surrogates).
     */
    public static String text(String field, String raw, int max) {
        String s = raw == null ? "" : Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
        if (s.isEmpty() || s.codePointCount(0, s.length()) > max) {
            throw KairanException.invalidField(field, "1-" + max + " characters, no control characters");
        }
        String bad = UnicodeRules.forbiddenInName(s);
        if (bad != null) {
            throw KairanException.invalidField(field, "no control, format, bidi or zero-width characters (found " + bad + ")");
        }
        return s;
    }

    /** An e-mail address or null for blank input. */
    public static String email(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = raw.strip();
        if (s.length() > 254 || !EMAIL.matcher(s).matches()) {
            throw KairanException.invalidField("email", "not an e-mail address");
        }
        return s;
    }

    /**
     * A 6-digit local-government code (全国地方公共団体コード) with a valid check digit, or null for blank input.
     * The check digit is the last digit of 11 minus (the first five digits weighted 6,5,4,3,2, modulo 11).
     */
    public static String lgCode(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        if (!LG_CODE.matcher(s).matches() || !lgCheckDigitValid(s)) {
            throw KairanException.invalidField("lgCode", "6 digits with a valid check digit");
        }
        return s;
    }

    static boolean lgCheckDigitValid(String code) {
        int[] weights = {6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += (code.charAt(i) - '0') * weights[i];
        }
        return (11 - sum % 11) % 10 == code.charAt(5) - '0';
    }

    /** Parses a decimal id from the API; a malformed id is "not found", as an unknown one is. */
    public static long id(String raw, String what) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException | NullPointerException e) {
            throw KairanException.notFound(what);
        }
    }
}
