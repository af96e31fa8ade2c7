package jp.kairan.server.export;

import static jp.kairan.server.export.CsvWriter.JST;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A room's {@code transcript.html}: a self-contained page (inline style, no script) to read the room as it was,
 * one block per message with sender, time in Japan time, edit mark, reader count, and the earlier versions below;
 * deleted messages show as deleted. Every text is HTML-escaped. The bytes are part of the signed export. Not
 * thread-safe; one per file.
 */
final class HtmlTranscript implements ExportRows.Sink {
    private final Writer w;

    HtmlTranscript(OutputStream out) {
        this.w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    /** The head and the title block: the room, the range and how many messages follow. */
    void start(ExportRows.Room room, Instant from, Instant to, long count) throws IOException {
        w.write("<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" + html(room.name()) + "</title>"
                + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
                + ".m{border-bottom:1px solid #ddd;padding:.4em 0}.h{color:#555;font-size:.85em}.d{color:#a00}"
                + "pre{white-space:pre-wrap;margin:.2em 0;font-family:inherit}</style></head><body>\n");
        w.write("<h1>" + html(room.name()) + "</h1>\n<p>" + html(JST.format(from)) + " – " + html(JST.format(to))
                + "（日本時間） / " + count + " 件</p>\n");
    }

    @Override
    public void accept(ExportRows.Message m, List<ExportRows.Version> earlier, Map<Long, Instant> readers) throws IOException {
        w.write("<div class=\"m\" id=\"s" + m.seq() + "\"><div class=\"h\">#" + m.seq() + " " + html(m.senderName()) + " "
                + html(JST.format(m.sentAt())) + (m.editedAt() != null ? "（編集 " + html(JST.format(m.editedAt())) + "）" : "")
                + " 既読 " + readers.size() + "</div>");
        w.write(m.deletedAt() != null ? "<div class=\"d\">（削除されたメッセージ）</div>" : "<pre>" + html(m.text()) + "</pre>");
        for (ExportRows.Version v : earlier) {
            w.write("<div class=\"h\">" + ("delete".equals(v.reason()) ? "削除前" : "編集前") + "（" + html(JST.format(v.replacedAt()))
                    + "）:</div><pre>" + html(v.text()) + "</pre>");
        }
        w.write("</div>\n");
    }

    /** Closes the page and flushes. */
    void finish() throws IOException {
        w.write("</body></html>\n");
        w.flush();
    }

    static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
