package jp.kairan.server.access;

import java.text.Normalizer;
import java.util.Locale;

/** The one normal form of a login ID, shared by sign-in, user management and audit-log filters. */
public final class LoginIds {
    private LoginIds() {
    }

    /** NFKC, trimmed, lower case; empty for null. Does not validate. */
    public static String normalize(String raw) {
        if (raw == null) {
            return "";
        }
        return Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }
}
