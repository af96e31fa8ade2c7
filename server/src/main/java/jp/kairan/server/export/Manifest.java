package jp.kairan.server.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import jp.kairan.protocol.Json;

/**
 * The export's {@code manifest.json} (format {@code kairan-export/1}): what was exported, when, how many messages,
 * and every listed file with its SHA-256 and size, as pretty-printed JSON (Jackson's default printer). These exact
 * bytes are what the JWS signs and what {@link ExportVerifier} checks. Immutable.
 */
record Manifest(long exportId, long orgId, String scope, Long targetId, Instant from, Instant to, Instant createdAt,
                long messageCount, List<ExportWriter.Entry> files) {
    // Trees only: the shared mapper's settings (dates, coercion, unknown fields) do not touch how a tree is written.
    private static final ObjectMapper JSON = Json.mapper();

    byte[] toJson() {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", "kairan-export/1").put("exportId", Long.toString(exportId)).put("orgId", Long.toString(orgId))
                .put("scope", scope).put("targetId", targetId == null ? null : Long.toString(targetId))
                .put("from", from.toString()).put("to", to.toString())
                .put("createdAt", createdAt.toString()).put("messageCount", messageCount);
        ArrayNode list = manifest.putArray("files");
        for (ExportWriter.Entry e : files) {
            list.addObject().put("path", e.path()).put("sha256", e.sha256()).put("bytes", e.bytes());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
