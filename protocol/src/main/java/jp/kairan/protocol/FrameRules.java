package jp.kairan.protocol;

import java.util.regex.Pattern;

/** Checks shared by the frame records' constructors. Each failure names the field. */
final class FrameRules {
    private static final Pattern DECIMAL_ID = Pattern.compile("[1-9][0-9]{0,18}");

    private FrameRules() {
    }

    static String requestId(String id) {
        if (id == null || id.isEmpty() || id.length() > ClientMessage.MAX_ID_CHARS) {
            throw new IllegalArgumentException("id must be 1.." + ClientMessage.MAX_ID_CHARS + " characters");
        }
        return id;
    }

    /** Server ids are decimal strings of positive 64-bit numbers (JavaScript cannot hold them as numbers). */
    static String entityId(String value, String field) {
        if (value == null || !DECIMAL_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be a decimal id");
        }
        try {
            Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a decimal id below 2^63");
        }
        return value;
    }

    static String text(String text, String field, int maxChars) {
        if (text == null || text.isBlank() || text.length() > maxChars) {
            throw new IllegalArgumentException(field + " must be 1.." + maxChars + " characters and not blank");
        }
        return text;
    }

    static long seq(long seq, String field) {
        if (seq < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return seq;
    }
}
