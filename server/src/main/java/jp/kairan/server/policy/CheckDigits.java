package jp.kairan.server.policy;

/**
 * Check digits of Japanese identifiers (see {@code DLP-NOTES.md} §1). Pure functions on ASCII digit strings;
 * anything else (wrong length, non-digits) is simply not valid.
 */
final class CheckDigits {
    private static final int[] MY_NUMBER_WEIGHTS = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    private static final int[] RESIDENT_CODE_WEIGHTS = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

    private CheckDigits() {
    }

    /**
     * My Number (個人番号): 12 digits, the last one the check digit of 総務省令 平成26年第85号 第5条: weights 6 5 4 3 2
     * 7 6 5 4 3 2 from the left, remainder r of the sum by 11, check = 0 when r ≤ 1, else 11 − r.
     */
    static boolean myNumber(CharSequence digits) {
        return weightedMod11(digits, 12, MY_NUMBER_WEIGHTS);
    }

    /**
     * 住民票コード: 11 digits. The notice that sets its check digit (平成14年総務省告示第436号) was not at hand; this is
     * the My Number rule on the first ten digits, which known generated codes satisfy. Use it only to raise
     * confidence next to a keyword, never alone.
     */
    static boolean residentCode(CharSequence digits) {
        return weightedMod11(digits, 11, RESIDENT_CODE_WEIGHTS);
    }

    /**
     * Corporate Number (法人番号, public): 13 digits, the FIRST one the check digit of 財務省令 平成26年第70号 第2条:
     * 9 − (Σ Pn × Qn mod 9) over the 12-digit base, Pn the n-th digit from the right, Qn 1 for odd n and 2 for
     * even n. Never 0.
     */
    static boolean corporateNumber(CharSequence digits) {
        if (!allDigits(digits, 13)) {
            return false;
        }
        int sum = 0;
        for (int n = 1; n <= 12; n++) {
            int p = digits.charAt(13 - n) - '0';
            sum += p * (n % 2 == 1 ? 1 : 2);
        }
        return digits.charAt(0) - '0' == 9 - sum % 9;
    }

    /** Whether every digit is the same ("000000000000", "111…"): placeholders, never real numbers. */
    static boolean degenerate(CharSequence digits) {
        for (int i = 1; i < digits.length(); i++) {
            if (digits.charAt(i) != digits.charAt(0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean weightedMod11(CharSequence digits, int length, int[] weights) {
        if (!allDigits(digits, length)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += (digits.charAt(i) - '0') * weights[i];
        }
        int r = sum % 11;
        int check = r <= 1 ? 0 : 11 - r;
        return digits.charAt(length - 1) - '0' == check;
    }

    private static boolean allDigits(CharSequence s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
