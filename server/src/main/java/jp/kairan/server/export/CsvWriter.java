package jp.kairan.server.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import jp.kairan.server.csv.Csv;

/**
 * A room's {@code messages.csv}, made for Japanese Excel: UTF-8 with a BOM, CRLF line ends, every field quoted
 * (quotes doubled), a field starting with = + - @, a tab or a carriage return prefixed with ' so it stays text
 * ({@link Csv#guard}, the same guard as the audit CSV's), times in Japan time. A header
 * row, then one row per message. The bytes are part of the signed export. Not thread-safe; one per file.
 */
final class CsvWriter implements ExportRows.Sink {
    /** Times as the export's readers read them: Japan time, to the second. */
    static final DateTimeFormatter JST = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.of("Asia/Tokyo"));
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final ExportRows.Room room;
    private final OutputStream out;
    private final Writer w;

    CsvWriter(ExportRows.Room room, OutputStream out) {
        this.room = room;
        this.out = out;
        this.w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    /** Writes the BOM and the header row. */
    void start() throws IOException {
        out.write(BOM);
        row("ルームID", "ルーム名", "番号", "メッセージID", "送信者ID", "送信者", "送信日時（日本時間）", "本文", "編集日時", "削除",
                "既読者数", "既読者（ユーザーID:既読日時）");
    }

    @Override
    public void accept(ExportRows.Message m, List<ExportRows.Version> earlier, Map<Long, Instant> readers) throws IOException {
        StringBuilder who = new StringBuilder();
        for (Map.Entry<Long, Instant> r : readers.entrySet()) {
            who.append(who.length() == 0 ? "" : " ").append(r.getKey()).append(':').append(JST.format(r.getValue()));
        }
        row(Long.toString(room.id()), room.name(), Long.toString(m.seq()), Long.toString(m.id()), Long.toString(m.senderId()),
                m.senderName(), JST.format(m.sentAt()), m.text() == null ? "" : m.text(),
                m.editedAt() == null ? "" : JST.format(m.editedAt()), m.deletedAt() == null ? "" : "削除済み",
                Integer.toString(readers.size()), who.toString());
    }

    void finish() throws IOException {
        w.flush();
    }

    private void row(String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            // A leading = + - @, tab or carriage return would run as a formula in a spreadsheet: keep it text.
            String f = fields[i] == null ? "" : Csv.guard(fields[i]);
            w.write('"');
            w.write(f.replace("\"", "\"\""));
            w.write('"');
        }
        w.write("\r\n");
    }
}
