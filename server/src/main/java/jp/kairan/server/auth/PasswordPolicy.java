package jp.kairan.server.auth;

import java.util.Locale;
import java.util.Set;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;

/**
 * What a new password must be (NIST SP 800-63B style: length over composition rules): at least the configured
 * length, at most 128 characters, not the login ID, not one repeated character, not a well-known password.
 */
final class PasswordPolicy {
    static final int MAX_CHARS = 128;
    private static final Set<String> COMMON = Set.of(
            "password", "password1", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty", "qwertyuiop",
            "qwerty123", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "abc123", "abcd1234", "iloveyou", "letmein", "welcome",
            "welcome1", "admin", "admin123", "administrator", "changeme", "sunshine", "monkey", "dragon", "football",
            "baseball", "master", "trustno1", "superman", "princess", "starwars", "whatever", "asdfghjkl",
            "zaq12wsx", "kairan", "kairanban", "yakuba", "yakusho", "shiyakusho", "tokyo", "nippon", "japan",
            "1234567890", "0123456789", "12345678910", "123456789a", "a123456789", "0987654321");

    private final int minChars;

    PasswordPolicy(int minChars) {
        this.minChars = minChars;
    }

    /** Throws {@code password_policy} (naming the rule in the log message) unless {@code password} is acceptable. */
    void check(String loginId, String password) {
        if (password == null || password.codePointCount(0, password.length()) < minChars) {
            throw violation("shorter than " + minChars + " characters");
        }
        if (password.length() > MAX_CHARS) {
            throw violation("longer than " + MAX_CHARS + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (lower.equals(loginId) || lower.contains(loginId) && loginId.length() >= 4) {
            throw violation("contains the login ID");
        }
        if (password.codePoints().distinct().count() < 3) {
            throw violation("too few different characters");
        }
        if (COMMON.contains(lower) || lower.chars().allMatch(Character::isDigit) && isSequence(lower)) {
            throw violation("a well-known password");
        }
    }

    private static boolean isSequence(String digits) {
        for (int i = 1; i < digits.length(); i++) {
            int d = digits.charAt(i) - digits.charAt(i - 1);
            if (d != 1 && d != -9) {
                return false;
            }
        }
        return true;
    }

    private static KairanException violation(String why) {
        return new KairanException(ErrorCode.PASSWORD_POLICY, "password rejected: " + why, "newPassword");
    }
}
