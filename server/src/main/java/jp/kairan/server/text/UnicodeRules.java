package jp.kairan.server.text;

import java.util.OptionalInt;

/**
 * Which characters each kind of field may hold (issue #16). Pure functions over UTF-16 strings, no I/O; the callers
 * turn a refusal into their own error code and field.
 *
 * <ul>
 *   <li><b>Names</b> (people, departments, rooms, organizations, devices, one-line reasons): no control (Cc) or format (Cf)
 *       character, which covers the bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the
 *       zero-width ones (U+200B–U+200D, U+2060, U+FEFF); no line or paragraph separator; no unpaired surrogate. The
 *       one exception is what an emoji needs: a zero-width joiner between two emoji (👩‍💼) and the tag characters
 *       of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿).</li>
 *   <li><b>Reasons</b> over several lines (emergencies, legal holds): as names, but line breaks and tabs are
 *       allowed.</li>
 *   <li><b>Message text</b>: anything well-formed; an unpaired surrogate is refused (it cannot be stored as
 *       UTF-8). Bidi and zero-width characters are kept as sent; the clients show them visibly.</li>
 *   <li><b>Reactions</b>: exactly one emoji, see {@link #isSingleEmoji}.</li>
 * </ul>
 *
 * <p>Java 17 does not expose Unicode's Extended_Pictographic property, so {@link #isPictographic} lists its ranges
 * (emoji-data.txt, Unicode 15; the unassigned code points the property reserves for future emoji are included, as
 * Unicode intends).
 */
public final class UnicodeRules {
    public static final int ZWJ = 0x200D;
    public static final int VS16 = 0xFE0F;
    public static final int KEYCAP = 0x20E3;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    /** Extended_Pictographic as inclusive ranges, sorted. */
    private static final int[][] PICTOGRAPHIC = {
        {0x00A9, 0x00A9}, {0x00AE, 0x00AE}, {0x203C, 0x203C}, {0x2049, 0x2049}, {0x2122, 0x2122}, {0x2139, 0x2139},
        {0x2194, 0x2199}, {0x21A9, 0x21AA}, {0x231A, 0x231B}, {0x2328, 0x2328}, {0x2388, 0x2388}, {0x23CF, 0x23CF},
        {0x23E9, 0x23F3}, {0x23F8, 0x23FA}, {0x24C2, 0x24C2}, {0x25AA, 0x25AB}, {0x25B6, 0x25B6}, {0x25C0, 0x25C0},
        {0x25FB, 0x25FE}, {0x2600, 0x2605}, {0x2607, 0x2612}, {0x2614, 0x2685}, {0x2690, 0x2705}, {0x2708, 0x2712},
        {0x2714, 0x2714}, {0x2716, 0x2716}, {0x271D, 0x271D}, {0x2721, 0x2721}, {0x2728, 0x2728}, {0x2733, 0x2734},
        {0x2744, 0x2744}, {0x2747, 0x2747}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757},
        {0x2763, 0x2767}, {0x2795, 0x2797}, {0x27A1, 0x27A1}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2934, 0x2935},
        {0x2B05, 0x2B07}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x3030, 0x3030}, {0x303D, 0x303D},
        {0x3297, 0x3297}, {0x3299, 0x3299}, {0x1F000, 0x1F0FF}, {0x1F10D, 0x1F10F}, {0x1F12F, 0x1F12F},
        {0x1F16C, 0x1F171}, {0x1F17E, 0x1F17F}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F1AD, 0x1F1E5},
        {0x1F201, 0x1F20F}, {0x1F21A, 0x1F21A}, {0x1F22F, 0x1F22F}, {0x1F232, 0x1F23A}, {0x1F23C, 0x1F23F},
        {0x1F249, 0x1F3FA}, {0x1F400, 0x1F53D}, {0x1F546, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F774, 0x1F77F},
        {0x1F7D5, 0x1F7FF}, {0x1F80C, 0x1F80F}, {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F}, {0x1F888, 0x1F88F},
        {0x1F8AE, 0x1F8FF}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1FAFF}, {0x1FC00, 0x1FFFD},
    };

    private UnicodeRules() {
    }

    /** Unicode's Extended_Pictographic (the bases of emoji), from the ranges above. */
    public static boolean isPictographic(int cp) {
        int lo = 0;
        int hi = PICTOGRAPHIC.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < PICTOGRAPHIC[mid][0]) {
                hi = mid - 1;
            } else if (cp > PICTOGRAPHIC[mid][1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** A skin-tone modifier, U+1F3FB–U+1F3FF. */
    public static boolean isSkinTone(int cp) {
        return cp >= 0x1F3FB && cp <= 0x1F3FF;
    }

    /** A regional indicator, U+1F1E6–U+1F1FF (two make a flag). */
    public static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    /** A bidi control: ALM, LRM, RLM, the embeddings and overrides, and the isolates. */
    public static boolean isBidiControl(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069;
    }

    /** A character that takes no width and shows nothing: ZWSP, ZWNJ, ZWJ, word joiner, BOM. */
    public static boolean isZeroWidth(int cp) {
        return cp >= 0x200B && cp <= 0x200D || cp == 0x2060 || cp == 0xFEFF;
    }

    /** The index of the first unpaired surrogate in {@code s}, if any. */
    public static OptionalInt unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return OptionalInt.of(i);
                }
            } else if (Character.isLowSurrogate(c)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The first character a name may not hold, as "U+XXXX", or null when the name is clean: see the class comment.
     */
    public static String forbiddenInName(String s) {
        OptionalInt lone = unpairedSurrogate(s);
        if (lone.isPresent()) {
            return hex(s.charAt(lone.getAsInt()));
        }
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            int type = Character.getType(cp);
            boolean forbidden = type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT || type == Character.SURROGATE || isBidiControl(cp) || isZeroWidth(cp);
            if (forbidden && !(cp == ZWJ && joinsEmoji(cps, i)) && !(isTag(cp) && inTagSequence(cps, i))) {
                return hex(cp);
            }
        }
        return null;
    }

    /**
     * Like {@link #forbiddenInName}, but for a reason typed into a box (an emergency's, a legal hold's), which may
     * run over several lines: line feed, carriage return and tab are allowed.
     */
    public static String forbiddenInReason(String s) {
        String withoutBreaks = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return forbiddenInName(withoutBreaks);
    }

    /** Whether the ZWJ at {@code i} stands between two emoji (the one before may carry VS16 or a skin tone). */
    public static boolean joinsEmoji(int[] cps, int i) {
        int before = i - 1;
        while (before >= 0 && (cps[before] == VS16 || isSkinTone(cps[before]))) {
            before--;
        }
        return before >= 0 && before < i && isPictographic(cps[before]) && i + 1 < cps.length && isPictographic(cps[i + 1]);
    }

    private static boolean isTag(int cp) {
        return cp >= 0xE0020 && cp <= 0xE007F;
    }

    /** Whether the tag character at {@code i} belongs to a black flag's tag sequence (🏴 tags… cancel tag). */
    private static boolean inTagSequence(int[] cps, int i) {
        int start = i;
        while (start > 0 && isTag(cps[start - 1])) {
            start--;
        }
        int end = i;
        while (end + 1 < cps.length && isTag(cps[end + 1])) {
            end++;
        }
        return start > 0 && cps[start - 1] == BLACK_FLAG && cps[end] == CANCEL_TAG && end > start;
    }

    /**
     * Whether {@code s} is exactly one emoji: a pictographic character with an optional VS16 or skin tone, several
     * such joined by ZWJ (👨‍👩‍👧), a keycap (1️⃣: a digit, # or *, an optional VS16, U+20E3), a flag (two regional
     * indicators) or a subdivision flag (🏴 with tag characters and a cancel tag). Text, digits alone, spaces and
     * controls are not.
     */
    public static boolean isSingleEmoji(String s) {
        if (s == null || s.isEmpty() || unpairedSurrogate(s).isPresent()) {
            return false;
        }
        int[] cps = s.codePoints().toArray();
        int n = cps.length;
        if (n == 2 && isRegionalIndicator(cps[0]) && isRegionalIndicator(cps[1])) {
            return true;
        }
        if (isKeycapBase(cps[0]) && (n == 2 && cps[1] == KEYCAP || n == 3 && cps[1] == VS16 && cps[2] == KEYCAP)) {
            return true;
        }
        if (n >= 4 && cps[0] == BLACK_FLAG && isTagSequence(cps, 1)) {
            return true;
        }
        int i = 0;
        while (true) {
            if (i >= n || !isPictographic(cps[i])) {
                return false;
            }
            i++;
            if (i < n && (cps[i] == VS16 || isSkinTone(cps[i]))) {
                i++;
            }
            if (i == n) {
                return true;
            }
            if (cps[i] != ZWJ) {
                return false;
            }
            i++;
        }
    }

    private static boolean isKeycapBase(int cp) {
        return cp >= '0' && cp <= '9' || cp == '#' || cp == '*';
    }

    /** Tag characters U+E0020–U+E007E from {@code from}, at least one, ending with the cancel tag. */
    private static boolean isTagSequence(int[] cps, int from) {
        int last = cps.length - 1;
        if (cps[last] != CANCEL_TAG || last <= from) {
            return false;
        }
        for (int i = from; i < last; i++) {
            if (cps[i] < 0xE0020 || cps[i] > 0xE007E) {
                return false;
            }
        }
        return true;
    }

    private static String hex(int cp) {
        return String.format("U+%04X", cp);
    }
}
