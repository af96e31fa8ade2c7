package jp.kairan.server.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.kairan.protocol.Json;

/**
 * A room's {@code messages.jsonl}: one compact JSON object per message, UTF-8, each line ended by LF, with the
 * message's earlier versions and its readers; times in ISO-8601 UTC, ids as strings. The bytes are part of the
 * signed export: change them only with the export's format version. Not thread-safe; one per file.
 */
final class JsonlWriter implements ExportRows.Sink {
    // Trees only: the shared mapper's settings (dates, coercion, unknown fields) do not touch how a tree is written.
    private static final ObjectMapper JSON = Json.mapper();

    private final ExportRows.Room room;
    private final Writer w;
    private long lines;

    JsonlWriter(ExportRows.Room room, OutputStream out) {
        this.room = room;
        this.w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    @Override
    public void accept(ExportRows.Message m, List<ExportRows.Version> earlier, Map<Long, Instant> readers) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("roomId", Long.toString(room.id())).put("roomName", room.name()).put("seq", m.seq())
                .put("messageId", Long.toString(m.id())).put("senderId", Long.toString(m.senderId()))
                .put("senderName", m.senderName()).put("sentAt", m.sentAt().toString()).put("text", m.text())
                .put("editedAt", m.editedAt() == null ? null : m.editedAt().toString())
                .put("deleted", m.deletedAt() != null).put("deletedAt", m.deletedAt() == null ? null : m.deletedAt().toString());
        ArrayNode edits = line.putArray("earlierVersions");
        for (ExportRows.Version v : earlier) {
            edits.addObject().put("version", v.version()).put("text", v.text()).put("replacedAt", v.replacedAt().toString())
                    .put("reason", v.reason());
        }
        ArrayNode rs = line.putArray("readers");
        for (Map.Entry<Long, Instant> r : readers.entrySet()) {
            rs.addObject().put("userId", Long.toString(r.getKey())).put("readAt", r.getValue().toString());
        }
        w.write(JSON.writeValueAsString(line));
        w.write('\n');
        lines++;
    }

    /** Flushes what is buffered; returns the number of messages written. */
    long finish() throws IOException {
        w.flush();
        return lines;
    }
}
