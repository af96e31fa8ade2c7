package jp.kairan.server.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import jp.kairan.server.csv.Csv;

/**
 * The audit export as CSV (RFC 4180): UTF-8 with a byte order mark, so that Excel in Japanese opens it as UTF-8;
 * CRLF line ends; every field quoted when it holds a comma, a quote or a line break. One header row of the same
 * field names as the JSON API (stable for scripts; HTTP-API.md gives their Japanese meaning), plus
 * {@code occurredAtJst}, the time in Japan as Excel reads it.
 *
 * <p>A text cell starting with {@code = + - @}, a tab or a carriage return gets a leading {@code '} ({@link Csv#guard})
 * so that a spreadsheet shows it instead of running it as a formula: a login ID is recorded as typed at sign-in, by anyone.
 * Not thread-safe.
 */
final class AuditQueryCsv {
    /** The header row, in column order. */
    static final List<String> COLUMNS = List.of("chainSeq", "occurredAt", "occurredAtJst", "actorId", "actorLogin", "actorName",
            "action", "targetType", "targetId", "ip", "requestId", "detail", "id");
    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter EXCEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Writer out;

    AuditQueryCsv(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    /** The byte order mark and the header row. */
    void header() throws IOException {
        out.write('\uFEFF');
        line(COLUMNS.toArray(String[]::new), false);
    }

    /** One event; its detail exactly as stored (the JSON text the hash chain covers). */
    void row(AuditRepository.Row e) throws IOException {
        line(new String[] {Long.toString(e.chainSeq()), e.occurredAt().toString(),
            EXCEL_TIME.format(e.occurredAt().atZone(JAPAN)), e.actorId() == null ? null : e.actorId().toString(),
            e.actorLogin(), e.actorName(), e.action(), e.targetType(), e.targetId(), e.ip(), e.requestId(), e.detail(),
            Long.toString(e.id())}, true);
    }

    /** Hands what is buffered to the stream (after each batch, so the download moves). */
    void flush() throws IOException {
        out.flush();
    }

    private void line(String[] cells, boolean guard) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i], guard));
        }
        out.write("\r\n");
    }

    /** One cell: empty for null, neutralized against formulas, quoted when needed. */
    static String cell(String value, boolean guard) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = guard ? Csv.guard(value) : value;
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
