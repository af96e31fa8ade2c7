package jp.kairan.server.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The export's file formats byte for byte, without a database: the JSON Lines, the CSV for Japanese Excel, the HTML
 * transcript and the manifest. The archive is signed, so these bytes are its contract.
 */
class ExportFormatsTest {
    private static final ExportRows.Room ROOM = new ExportRows.Room(11, "防災係 \"連絡\" <b>");
    private static final Instant T0 = Instant.parse("2026-12-01T01:02:03.456789Z");
    private static final Instant T1 = Instant.parse("2026-12-01T02:00:00Z");
    private static final ExportRows.Message EDITED = new ExportRows.Message(21, 1, 31, "山本 花子", "=SUM(A1) \"式\"\n改行", T0, T1, null);
    private static final ExportRows.Message DELETED = new ExportRows.Message(22, 2, 31, "山本 花子", "", T0, null, T1);
    private static final List<ExportRows.Version> EDITS = List.of(new ExportRows.Version(0, "前 <i>", T0, "edit"));
    private static final List<ExportRows.Version> DELETION = List.of(new ExportRows.Version(0, "消した", T0, "delete"));
    private static final Map<Long, Instant> READERS = new TreeMap<>(Map.of(41L, T1, 40L, T0));

    @Test
    void jsonLinesHoldOneCompactObjectPerMessageEndedByLf() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlWriter w = new JsonlWriter(ROOM, out);
        w.accept(EDITED, EDITS, READERS);
        w.accept(DELETED, DELETION, Map.of());
        assertThat(w.finish()).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"roomId\":\"11\",\"roomName\":\"防災係 \\\"連絡\\\" <b>\",\"seq\":1,\"messageId\":\"21\",\"senderId\":\"31\","
                + "\"senderName\":\"山本 花子\",\"sentAt\":\"2026-12-01T01:02:03.456789Z\",\"text\":\"=SUM(A1) \\\"式\\\"\\n改行\","
                + "\"editedAt\":\"2026-12-01T02:00:00Z\",\"deleted\":false,\"deletedAt\":null,\"earlierVersions\":[{\"version\":0,"
                + "\"text\":\"前 <i>\",\"replacedAt\":\"2026-12-01T01:02:03.456789Z\",\"reason\":\"edit\"}],\"readers\":["
                + "{\"userId\":\"40\",\"readAt\":\"2026-12-01T01:02:03.456789Z\"},{\"userId\":\"41\",\"readAt\":\"2026-12-01T02:00:00Z\"}]}\n"
                + "{\"roomId\":\"11\",\"roomName\":\"防災係 \\\"連絡\\\" <b>\",\"seq\":2,\"messageId\":\"22\",\"senderId\":\"31\","
                + "\"senderName\":\"山本 花子\",\"sentAt\":\"2026-12-01T01:02:03.456789Z\",\"text\":\"\",\"editedAt\":null,"
                + "\"deleted\":true,\"deletedAt\":\"2026-12-01T02:00:00Z\",\"earlierVersions\":[{\"version\":0,\"text\":\"消した\","
                + "\"replacedAt\":\"2026-12-01T01:02:03.456789Z\",\"reason\":\"delete\"}],\"readers\":[]}\n");
    }

    @Test
    void theCsvStartsWithABomEndsRowsWithCrlfAndKeepsFormulasAsText() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter w = new CsvWriter(ROOM, out);
        w.start();
        w.accept(EDITED, EDITS, READERS);
        w.accept(DELETED, DELETION, Map.of());
        w.finish();
        byte[] bytes = out.toByteArray();
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8)).isEqualTo(
                "\"ルームID\",\"ルーム名\",\"番号\",\"メッセージID\",\"送信者ID\",\"送信者\",\"送信日時（日本時間）\",\"本文\",\"編集日時\","
                + "\"削除\",\"既読者数\",\"既読者（ユーザーID:既読日時）\"\r\n"
                + "\"11\",\"防災係 \"\"連絡\"\" <b>\",\"1\",\"21\",\"31\",\"山本 花子\",\"2026/12/01 10:02:03\",\"'=SUM(A1) \"\"式\"\"\n改行\","
                + "\"2026/12/01 11:00:00\",\"\",\"2\",\"40:2026/12/01 10:02:03 41:2026/12/01 11:00:00\"\r\n"
                + "\"11\",\"防災係 \"\"連絡\"\" <b>\",\"2\",\"22\",\"31\",\"山本 花子\",\"2026/12/01 10:02:03\",\"\",\"\",\"削除済み\",\"0\",\"\"\r\n");
    }

    @Test
    void theCsvGuardsATextStartingWithATabOrACarriageReturnLikeTheAuditCsv() throws Exception {
        // issue #16: a spreadsheet runs "\t=cmd|…" or "\r=cmd|…" as a formula too, so these get the ' as well.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter w = new CsvWriter(new ExportRows.Room(12, "\t=HYPERLINK(\"x\")"), out);
        w.accept(new ExportRows.Message(23, 3, 31, "\r@SUM(1)", "\t=cmd|' /C calc'!A0", T0, null, null), List.of(), Map.of());
        w.accept(new ExportRows.Message(24, 4, 31, "山本 花子", "\r+1\r\n-2", T0, null, null), List.of(), Map.of());
        w.accept(new ExportRows.Message(25, 5, 31, "山本 花子", " \t=not first", T0, null, null), List.of(), Map.of());
        w.finish();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "\"12\",\"'\t=HYPERLINK(\"\"x\"\")\",\"3\",\"23\",\"31\",\"'\r@SUM(1)\",\"2026/12/01 10:02:03\","
                + "\"'\t=cmd|' /C calc'!A0\",\"\",\"\",\"0\",\"\"\r\n"
                + "\"12\",\"'\t=HYPERLINK(\"\"x\"\")\",\"4\",\"24\",\"31\",\"山本 花子\",\"2026/12/01 10:02:03\","
                + "\"'\r+1\r\n-2\",\"\",\"\",\"0\",\"\"\r\n"
                + "\"12\",\"'\t=HYPERLINK(\"\"x\"\")\",\"5\",\"25\",\"31\",\"山本 花子\",\"2026/12/01 10:02:03\","
                + "\" \t=not first\",\"\",\"\",\"0\",\"\"\r\n");
    }

    @Test
    void theTranscriptEscapesEveryTextAndShowsEarlierVersions() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlTranscript w = new HtmlTranscript(out);
        w.start(ROOM, T0, T1, 2);
        w.accept(EDITED, EDITS, READERS);
        w.accept(DELETED, DELETION, Map.of());
        w.finish();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
                + "<title>防災係 &quot;連絡&quot; &lt;b&gt;</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto;"
                + "line-height:1.5}.m{border-bottom:1px solid #ddd;padding:.4em 0}.h{color:#555;font-size:.85em}.d{color:#a00}"
                + "pre{white-space:pre-wrap;margin:.2em 0;font-family:inherit}</style></head><body>\n"
                + "<h1>防災係 &quot;連絡&quot; &lt;b&gt;</h1>\n<p>2026/12/01 10:02:03 – 2026/12/01 11:00:00（日本時間） / 2 件</p>\n"
                + "<div class=\"m\" id=\"s1\"><div class=\"h\">#1 山本 花子 2026/12/01 10:02:03（編集 2026/12/01 11:00:00） 既読 2</div>"
                + "<pre>=SUM(A1) &quot;式&quot;\n改行</pre><div class=\"h\">編集前（2026/12/01 10:02:03）:</div><pre>前 &lt;i&gt;</pre></div>\n"
                + "<div class=\"m\" id=\"s2\"><div class=\"h\">#2 山本 花子 2026/12/01 10:02:03 既読 0</div>"
                + "<div class=\"d\">（削除されたメッセージ）</div><div class=\"h\">削除前（2026/12/01 10:02:03）:</div><pre>消した</pre></div>\n"
                + "</body></html>\n");
    }

    @Test
    void theManifestIsPrettyPrintedWithEveryListedFile() {
        byte[] json = new Manifest(7, 8, "org", null, T0, T1, T1, 2,
                List.of(new ExportWriter.Entry("rooms/11/messages.jsonl", "ab", 12))).toJson();
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "format" : "kairan-export/1",
                  "exportId" : "7",
                  "orgId" : "8",
                  "scope" : "org",
                  "targetId" : null,
                  "from" : "2026-12-01T01:02:03.456789Z",
                  "to" : "2026-12-01T02:00:00Z",
                  "createdAt" : "2026-12-01T02:00:00Z",
                  "messageCount" : 2,
                  "files" : [ {
                    "path" : "rooms/11/messages.jsonl",
                    "sha256" : "ab",
                    "bytes" : 12
                  } ]
                }""");
    }
}
