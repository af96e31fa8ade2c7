package jp.kairan.server.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small edits of {@code jdbc:mariadb://host:port/database?options} URLs. */
final class JdbcUrls {

    // scheme + "//" + authority, then an optional "/database", then optional "?options"
    private static final Pattern URL = Pattern.compile("^(jdbc:[a-z]+:(?:[a-z]+:)?//[^/?]*)(/[^?]*)?(\\?.*)?$");

    private JdbcUrls() {
    }

    /** The same URL with its default database replaced by (or set to) {@code database}. */
    static String withDatabase(String url, String database) {
        Matcher m = match(url);
        String options = m.group(3) == null ? "" : m.group(3);
        return m.group(1) + "/" + database + options;
    }

    /** The URL without options that may carry a password, for messages. */
    static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password|pwd)=[^&]*", "$1=***");
    }

    private static Matcher match(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a JDBC URL of the form "
                    + "jdbc:mariadb://host:port/database?options: " + withoutCredentials(url));
        }
        return m;
    }
}
