package jp.kairan.server.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.ZipOutputStream;
import jp.kairan.protocol.api.ExportJob;
import jp.kairan.protocol.api.ExportRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.access.Principal;
import jp.kairan.server.access.Role;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports for auditors (DESIGN.md "Audit, retention, export"): an auditor of the organization asks for a room, a
 * user's talks (every room they are a member of) or the whole organization over a time range; the archive is built
 * in the background into the data directory — JSON Lines, CSV and an HTML transcript per room, and a manifest of
 * every file's SHA-256 signed as a JWS with the server's key (with the public keys alongside) — downloaded by the
 * org's auditors, and deleted when it expires. Requests, completion, downloads and expiry are audited. The operator
 * never exports. Thread-safe.
 */
public final class ExportService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExportService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code typ} of a signed manifest. */
    public static final String MANIFEST_TYPE = "kairan-export-manifest+jws";
    /** Longest range one export covers. */
    static final Duration MAX_RANGE = Duration.ofDays(366 * 20);

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final Path dir;
    private final Duration ttl;
    private final UnaryOperator<String> signer;
    private final Supplier<String> jwks;
    private final ExecutorService workers;

    public ExportService(Database db, Clock clock, AuditService audit, Path dir, Duration ttl, UnaryOperator<String> signer,
                         Supplier<String> jwks) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.dir = dir;
        this.ttl = ttl;
        this.signer = signer;
        this.jwks = jwks;
        this.workers = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kairan-export");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues an export (auditors of the organization). */
    public ExportJob request(Principal actor, long orgId, ExportRequest req, Origin origin) {
        actor.requireAuditorOf(orgId);
        String scope = req.scope() == null ? "" : req.scope();
        if (!List.of("room", "user", "org").contains(scope)) {
            throw KairanException.invalidField("scope", "room, user or org");
        }
        if (req.from() == null || req.to() == null || !req.from().isBefore(req.to())
                || Duration.between(req.from(), req.to()).compareTo(MAX_RANGE) > 0) {
            throw KairanException.invalidField("to", "from must be before to, at most 20 years apart");
        }
        Long target = null;
        if (!"org".equals(scope)) {
            try {
                target = Long.parseLong(req.targetId() == null ? "" : req.targetId());
            } catch (NumberFormatException e) {
                throw KairanException.invalidField("targetId", "the room or user id");
            }
        }
        long id = Ids.next();
        Long targetId = target;
        Instant now = clock.instant();
        db.call(tx -> {
            String table = "room".equals(scope) ? "rooms" : "users";
            if (targetId != null && !Long.valueOf(orgId).equals(orgOf(tx, table, targetId))) {
                throw KairanException.invalidField("targetId", "a room or user of the organization");
            }
            tx.update("INSERT INTO exports (id, org_id, requested_by, scope, target_id, from_at, to_at, state, message_count, size_bytes, "
                    + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?)", id, orgId, actor.userId(), scope, targetId,
                    UtcTimes.toColumn(req.from()), UtcTimes.toColumn(req.to()), UtcTimes.toColumn(now));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("scope", scope);
            detail.put("targetId", targetId == null ? "" : Long.toString(targetId));
            detail.put("from", req.from().toString());
            detail.put("to", req.to().toString());
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.EXPORT_REQUESTED, "export",
                    Long.toString(id), detail), origin);
            return null;
        });
        workers.execute(() -> run(id));
        return get(actor, orgId, id);
    }

    public List<ExportJob> list(Principal actor, long orgId) {
        actor.requireAuditorOf(orgId);
        return db.call(tx -> jobs(tx, "WHERE org_id = ? ORDER BY created_at DESC", orgId));
    }

    public ExportJob get(Principal actor, long orgId, long id) {
        actor.requireAuditorOf(orgId);
        return db.call(tx -> jobs(tx, "WHERE org_id = ? AND id = " + id, orgId)).stream().findFirst()
                .orElseThrow(() -> KairanException.notFound("export " + id));
    }

    /** The finished archive to send; the download is audited. */
    public Path download(Principal actor, long orgId, long id, Origin origin) {
        ExportJob job = get(actor, orgId, id);
        if (!"done".equals(job.state())) {
            throw KairanException.conflict("export " + id + " is " + job.state());
        }
        Path file = file(id);
        if (!Files.exists(file)) {
            throw KairanException.notFound("export file " + id);
        }
        db.call(tx -> {
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.EXPORT_DOWNLOADED, "export",
                    Long.toString(id), Map.of("sha256", job.sha256(), "bytes", job.sizeBytes())), origin);
            return null;
        });
        return file;
    }

    /** Deletes archives whose time is up; returns how many. */
    public int expire() {
        Instant now = clock.instant();
        List<long[]> due = db.call(tx -> tx.jdbc(c -> {
            List<long[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id FROM exports WHERE state = 'done' AND expires_at <= ?")) {
                ps.setObject(1, UtcTimes.toColumn(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
            }
            return out;
        }));
        for (long[] e : due) {
            try {
                Files.deleteIfExists(file(e[0]));
            } catch (IOException ex) {
                log.warn("could not delete export {}", e[0], ex);
                continue;
            }
            db.call(tx -> {
                tx.update("UPDATE exports SET state = 'expired' WHERE id = ?", e[0]);
                audit.record(tx, new AuditEvent(e[1], null, null, AuditAction.EXPORT_EXPIRED, "export", Long.toString(e[0]), Map.of()),
                        new Origin("server", null));
                return null;
            });
        }
        return due.size();
    }

    /** Builds export {@code id}; visible for tests, which wait for it. */
    void run(long id) {
        try {
            build(id);
        } catch (RuntimeException | IOException e) {
            log.error("export {} failed", id, e);
            db.call(tx -> {
                tx.update("UPDATE exports SET state = 'failed', finished_at = ?, error = ? WHERE id = ?",
                        UtcTimes.toColumn(clock.instant()), "internal error; see the server log", id);
                return null;
            });
        }
    }

    private void build(long id) throws IOException {
        record Job(long orgId, String scope, Long target, Instant from, Instant to) {
        }
        Job job = db.call(tx -> tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id, scope, target_id, from_at, to_at FROM exports WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long t = rs.getLong(3);
                    return new Job(rs.getLong(1), rs.getString(2), rs.wasNull() ? null : t, UtcTimes.read(rs, 4), UtcTimes.read(rs, 5));
                }
            }
        }));
        db.call(tx -> tx.update("UPDATE exports SET state = 'running' WHERE id = ?", id));
        List<ExportWriter.Room> rooms = rooms(job.orgId(), job.scope(), job.target());
        Files.createDirectories(dir);
        Path tmp = dir.resolve(id + ".zip.part");
        long count;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp)); ZipOutputStream zip = new ZipOutputStream(file)) {
            ExportWriter w = new ExportWriter(db, job.from(), job.to(), zip);
            for (ExportWriter.Room room : rooms) {
                w.room(room);
                long written = w.messages();
                db.call(tx -> tx.update("UPDATE exports SET message_count = ? WHERE id = ?", written, id));
            }
            count = w.messages();
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", "kairan-export/1").put("exportId", Long.toString(id)).put("orgId", Long.toString(job.orgId()))
                    .put("scope", job.scope()).put("targetId", job.target() == null ? null : Long.toString(job.target()))
                    .put("from", job.from().toString()).put("to", job.to().toString())
                    .put("createdAt", clock.instant().toString()).put("messageCount", count);
            ArrayNode files = manifest.putArray("files");
            for (ExportWriter.Entry e : w.entries()) {
                files.addObject().put("path", e.path()).put("sha256", e.sha256()).put("bytes", e.bytes());
            }
            byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            w.file(ExportVerifier.MANIFEST, manifestBytes, false);
            w.file(ExportVerifier.SIGNATURE, signer.apply(new String(manifestBytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII), false);
            w.file(ExportVerifier.KEYS, jwks.get().getBytes(StandardCharsets.UTF_8), false);
        }
        Path done = file(id);
        Files.move(tmp, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String sha = sha256(done);
        long size = Files.size(done);
        Instant now = clock.instant();
        db.call(tx -> {
            tx.update("UPDATE exports SET state = 'done', message_count = ?, size_bytes = ?, sha256 = ?, finished_at = ?, expires_at = ? "
                    + "WHERE id = ?", count, size, sha, UtcTimes.toColumn(now), UtcTimes.toColumn(now.plus(ttl)), id);
            audit.record(tx, new AuditEvent(job.orgId(), null, null, AuditAction.EXPORT_COMPLETED, "export", Long.toString(id),
                    Map.of("messages", count, "rooms", rooms.size(), "bytes", size, "sha256", sha)), new Origin("server", null));
            return null;
        });
    }

    private List<ExportWriter.Room> rooms(long orgId, String scope, Long target) {
        String where = switch (scope) {
            case "room" -> "r.org_id = ? AND r.id = " + target;
            case "user" -> "r.org_id = ? AND r.id IN (SELECT room_id FROM room_members WHERE user_id = " + target + ")";
            default -> "r.org_id = ?";
        };
        return db.call(tx -> tx.jdbc(c -> {
            List<ExportWriter.Room> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.name FROM rooms r WHERE " + where + " ORDER BY r.id")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ExportWriter.Room(rs.getLong(1), rs.getString(2) == null ? "（1対1のトーク）" : rs.getString(2)));
                    }
                }
            }
            return out;
        }));
    }

    Path file(long id) {
        return dir.resolve(id + ".zip");
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ExportJob> jobs(Tx tx, String where, long orgId) {
        return tx.jdbc(c -> {
            List<ExportJob> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, scope, target_id, from_at, to_at, state, message_count, size_bytes, "
                    + "sha256, requested_by, created_at, finished_at, expires_at, error FROM exports " + where)) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long t = rs.getLong(3);
                        String target = rs.wasNull() ? null : Long.toString(t);
                        out.add(new ExportJob(Long.toString(rs.getLong(1)), rs.getString(2), target, UtcTimes.read(rs, 4),
                                UtcTimes.read(rs, 5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9),
                                Long.toString(rs.getLong(10)), UtcTimes.read(rs, 11), UtcTimes.read(rs, 12), UtcTimes.read(rs, 13),
                                rs.getString(14)));
                    }
                }
            }
            return out;
        });
    }

    private static Long orgOf(Tx tx, String table, long id) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM " + table + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
    }



    @Override
    public void close() {
        workers.shutdownNow();
    }

}
