package jp.kairan.server.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;

/**
 * What a new password must be (NIST SP 800-63B §5.1.1.2: length over composition rules, and a blocklist): at least
 * the configured length, at most 128 characters, not containing the login ID (also with its dots and dashes left
 * out), not one or two repeated characters, not a digit sequence, and not a common or breached password. The last
 * is checked against {@code auth/common-passwords.txt} (its header says where the list comes from) after NFKC and
 * lower-casing, so {@code Ｐａｓｓｗｏｒｄ} is {@code password}; an entry followed only by digits and symbols
 * ({@code Password1234}, {@code sakura2026!}) or written twice is refused too. A refusal is {@code password_policy} on the field
 * {@code newPassword} with the rule in its detail ({@link Rule}). Immutable; thread-safe.
 */
final class PasswordPolicy {
    static final int MAX_CHARS = 128;
    static final String LIST = "/auth/common-passwords.txt";
    /** Entries shorter than this do not refuse a password that merely starts with them. */
    private static final int MIN_STEM = 4;

    /** The rule a refused password broke: the {@code detail} of {@code password_policy}. */
    enum Rule {
        TOO_SHORT("too_short"), TOO_LONG("too_long"), LOGIN_ID("login_id"), REPEATED("repeated"), COMMON("common"),
        SAME_AS_CURRENT("same_as_current");

        final String wire;

        Rule(String wire) {
            this.wire = wire;
        }
    }

    private final int minChars;

    PasswordPolicy(int minChars) {
        this.minChars = minChars;
    }

    /** Throws {@code password_policy} (the rule in its detail and in the log message) unless {@code password} is acceptable. */
    void check(String loginId, String password) {
        if (password == null || password.codePointCount(0, password.length()) < minChars) {
            throw violation(Rule.TOO_SHORT, "shorter than " + minChars + " characters");
        }
        if (password.length() > MAX_CHARS) {
            throw violation(Rule.TOO_LONG, "longer than " + MAX_CHARS + " characters");
        }
        String folded = fold(password);
        String login = loginId == null ? "" : fold(loginId);
        if (!login.isEmpty() && (folded.equals(login) || login.length() >= 4
                && (folded.contains(login) || compact(login).length() >= 4 && compact(folded).contains(compact(login))))) {
            throw violation(Rule.LOGIN_ID, "contains the login ID");
        }
        if (password.codePoints().distinct().count() < 3) {
            throw violation(Rule.REPEATED, "too few different characters");
        }
        if (isCommon(folded) || folded.chars().allMatch(Character::isDigit) && isSequence(folded)) {
            throw violation(Rule.COMMON, "a common or breached password");
        }
    }

    /**
     * Whether a folded password is on the list, a listed entry followed only by digits and symbols, or a listed
     * entry written twice.
     */
    static boolean isCommon(String folded) {
        Set<String> common = Common.SET;
        if (common.contains(folded)) {
            return true;
        }
        int half = folded.length() / 2;
        if (folded.length() % 2 == 0 && folded.startsWith(folded.substring(half)) && isCommon(folded.substring(half))) {
            return true;
        }
        int end = folded.length();
        while (end > 0 && !Character.isLetter(folded.charAt(end - 1))) {
            end--;
        }
        return end >= MIN_STEM && end < folded.length() && common.contains(folded.substring(0, end));
    }

    /** NFKC, then lower case: full-width and compatibility forms compare as their plain letters. */
    static String fold(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    private static String compact(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().filter(Character::isLetterOrDigit).forEach(sb::appendCodePoint);
        return sb.toString();
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

    /** The refusal of a new password equal to the current one (checked by the callers, which know the hash). */
    static KairanException sameAsCurrent() {
        return violation(Rule.SAME_AS_CURRENT, "new password equals the old one");
    }

    private static KairanException violation(Rule rule, String why) {
        return new Refused(rule, why);
    }

    /** A refused password; the rule goes to the client as {@code detail} (it says nothing about the password). */
    static final class Refused extends KairanException {
        private static final long serialVersionUID = 1L;
        private final transient Rule rule;

        Refused(Rule rule, String why) {
            super(ErrorCode.PASSWORD_POLICY, "password rejected: " + why, "newPassword");
            this.rule = rule;
        }

        Rule rule() {
            return rule;
        }

        @Override
        public String detail() {
            return rule.wire;
        }
    }

    /** The list, loaded on first use. */
    private static final class Common {
        static final Set<String> SET = load();

        private static Set<String> load() {
            try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
                if (in == null) {
                    throw new IllegalStateException(LIST + " is missing from the class path");
                }
                Set<String> set = new HashSet<>(16_384);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String w = line.strip();
                    if (!w.isEmpty() && !w.startsWith("#")) {
                        set.add(fold(w));
                    }
                }
                return Set.copyOf(set);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
