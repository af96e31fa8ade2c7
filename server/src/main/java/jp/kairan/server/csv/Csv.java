package jp.kairan.server.csv;

/**
 * The one formula guard for every CSV Kairan writes (the audit log's CSV, the export's {@code messages.csv}): a cell
 * that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab (U+0009) or a carriage return (U+000D) gets a
 * leading {@code '}, so that a spreadsheet shows it as text instead of running it as a formula (OWASP "CSV
 * injection"). Quoting stays with each writer: the guard comes first, then the quoting. Pure; imports nothing.
 */
public final class Csv {
    /** The characters that make a spreadsheet read a cell as a formula when they come first. */
    static final String FORMULA_STARTS = "=+-@\t\r";

    private Csv() {
    }

    /** {@code value} with a leading {@code '} when it starts like a formula; otherwise {@code value} itself (null stays null). */
    public static String guard(String value) {
        if (value == null || value.isEmpty() || FORMULA_STARTS.indexOf(value.charAt(0)) < 0) {
            return value;
        }
        return "'" + value;
    }
}
