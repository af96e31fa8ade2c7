package jp.kairan.server.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports for auditors (DESIGN.md "Audit, retention, export"): an auditor of the organization asks for a room, a
 * user's talks (every room they are a member of) or the whole organization over a time range; the archive is built
 * in the background into the data directory — JSON Lines, CSV and an HTML transcript per room, and a manifest of
 * every file's SHA-256 signed as a JWS with the server's key (with the public keys alongside) — downloaded by the
 * org's auditors, and deleted when it expires. Requests, completion, downloads and expiry are audited. The operator
 * never exports. The job rows are {@link ExportRepository}'s, the rows exported {@link ExportRows}'; this class
 * keeps the rules and opens the transactions, and signs the manifest outside any. Thread-safe.
 */
public final class ExportService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExportService.class);
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
    private final ExportRepository repository = new ExportRepository();

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
            if (targetId != null && !Long.valueOf(orgId).equals(repository.targetOrg(tx, scope, targetId))) {
                throw KairanException.invalidField("targetId", "a room or user of the organization");
            }
            repository.insert(tx, id, orgId, actor.userId(), scope, targetId, req.from(), req.to(), now);
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
        return db.call(tx -> repository.list(tx, orgId));
    }

    public ExportJob get(Principal actor, long orgId, long id) {
        actor.requireAuditorOf(orgId);
        return db.call(tx -> repository.find(tx, orgId, id)).orElseThrow(() -> KairanException.notFound("export " + id));
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
        List<ExportRepository.Due> due = db.call(tx -> repository.due(tx, now));
        for (ExportRepository.Due e : due) {
            try {
                Files.deleteIfExists(file(e.id()));
            } catch (IOException ex) {
                log.warn("could not delete export {}", e.id(), ex);
                continue;
            }
            db.call(tx -> {
                repository.markExpired(tx, e.id());
                audit.record(tx, new AuditEvent(e.orgId(), null, null, AuditAction.EXPORT_EXPIRED, "export", Long.toString(e.id()), Map.of()),
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
                repository.markFailed(tx, id, clock.instant(), "internal error; see the server log");
                return null;
            });
        }
    }

    private void build(long id) throws IOException {
        ExportRepository.Spec job = db.call(tx -> repository.spec(tx, id));
        db.call(tx -> {
            repository.markRunning(tx, id);
            return null;
        });
        List<ExportRows.Room> rooms = db.call(tx -> repository.rooms(tx, job.orgId(), job.scope(), job.target()));
        Files.createDirectories(dir);
        Path tmp = dir.resolve(id + ".zip.part");
        long count;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp)); ZipOutputStream zip = new ZipOutputStream(file)) {
            ExportWriter w = new ExportWriter(new ExportRows(db, job.from(), job.to()), job.from(), job.to(), zip);
            for (ExportRows.Room room : rooms) {
                w.room(room);
                long written = w.messages();
                db.call(tx -> {
                    repository.progress(tx, id, written);
                    return null;
                });
            }
            count = w.messages();
            byte[] manifestBytes = new Manifest(id, job.orgId(), job.scope(), job.target(), job.from(), job.to(), clock.instant(),
                    count, w.entries()).toJson();
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
            repository.markDone(tx, id, count, size, sha, now, now.plus(ttl));
            audit.record(tx, new AuditEvent(job.orgId(), null, null, AuditAction.EXPORT_COMPLETED, "export", Long.toString(id),
                    Map.of("messages", count, "rooms", rooms.size(), "bytes", size, "sha256", sha)), new Origin("server", null));
            return null;
        });
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

    @Override
    public void close() {
        workers.shutdownNow();
    }

}
