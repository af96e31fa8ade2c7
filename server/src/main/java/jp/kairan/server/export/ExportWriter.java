package jp.kairan.server.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one export archive: per room a JSON Lines file ({@link JsonlWriter}), a CSV file that Japanese Excel opens
 * ({@link CsvWriter}) and a readable HTML transcript ({@link HtmlTranscript}), each a pass over the room's rows
 * ({@link ExportRows}), then the manifest and its JWS as given. Streams every file into the zip while it takes its
 * SHA-256 and size for the manifest, so memory stays flat whatever the room's size. Not thread-safe; one per export.
 */
final class ExportWriter {
    /** A file written into the archive. */
    record Entry(String path, String sha256, long bytes) {
    }

    private final ExportRows rows;
    private final Instant from;
    private final Instant to;
    private final ZipOutputStream zip;
    private final List<Entry> entries = new ArrayList<>();
    private long messages;

    ExportWriter(ExportRows rows, Instant from, Instant to, ZipOutputStream zip) {
        this.rows = rows;
        this.from = from;
        this.to = to;
        this.zip = zip;
    }

    long messages() {
        return messages;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Writes the room's three files. */
    void room(ExportRows.Room room) throws IOException {
        Map<Long, List<long[]>> receipts = rows.receipts(room.id());
        long[] count = {0};
        entry("rooms/" + room.id() + "/messages.jsonl", out -> {
            JsonlWriter jsonl = new JsonlWriter(room, out);
            rows.forEach(room, receipts, jsonl);
            count[0] = jsonl.finish();
        });
        messages += count[0];
        entry("rooms/" + room.id() + "/messages.csv", out -> {
            CsvWriter csv = new CsvWriter(room, out);
            csv.start();
            rows.forEach(room, receipts, csv);
            csv.finish();
        });
        entry("rooms/" + room.id() + "/transcript.html", out -> {
            HtmlTranscript html = new HtmlTranscript(out);
            html.start(room, from, to, count[0]);
            rows.forEach(room, receipts, html);
            html.finish();
        });
    }

    /** Writes a file that is not a room's (the manifest, its signature, the keys). */
    void file(String path, byte[] content, boolean listed) throws IOException {
        entry(path, out -> out.write(content), listed);
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private void entry(String path, Body body) throws IOException {
        entry(path, body, true);
    }

    private void entry(String path, Body body, boolean listed) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        zip.putNextEntry(new ZipEntry(path));
        long[] bytes = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                zip.write(b);
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                zip.write(b, off, len);
                bytes[0] += len;
            }
        };
        DigestOutputStream out = new DigestOutputStream(counting, sha);
        body.write(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // the zip entry stays open until closeEntry
            }
        });
        out.flush();
        zip.closeEntry();
        if (listed) {
            entries.add(new Entry(path, HexFormat.of().formatHex(sha.digest()), bytes[0]));
        }
    }
}
