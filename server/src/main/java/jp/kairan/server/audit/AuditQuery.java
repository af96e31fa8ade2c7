package jp.kairan.server.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jp.kairan.protocol.api.AuditEntry;
import jp.kairan.protocol.api.AuditPage;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.access.LoginIds;
import jp.kairan.server.access.Principal;
import jp.kairan.server.store.Database;

/**
 * Reading an organization's audit log (HTTP-API.md "Audit log"): pages for the audit view and the CSV export, for
 * the organization's owners and admins. Newest first, in chain order ({@code chain_seq}, the order the events
 * were committed in), paged by the chain seq.
 *
 * <p>Reading the log is itself recorded: the first page of each search as {@code audit.viewed} (further pages of
 * the same search are not, so paging adds no noise), each download as {@code audit.exported} with its filters and
 * row count, written before the first row leaves the server. Thread-safe.
 */
public final class AuditQuery {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    /** Rows read per transaction while exporting; no transaction stays open while the client downloads. */
    static final int EXPORT_BATCH = 1_000;
    private static final int MAX_FILTER_CHARS = 64;
    private static final Pattern ACTION = Pattern.compile("[a-z0-9._-]{1,64}");
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final Database db;
    private final AuditService audit;
    private final ObjectMapper json;
    private final AuditRepository events = new AuditRepository();

    public AuditQuery(Database db, AuditService audit, ObjectMapper json) {
        this.db = db;
        this.audit = audit;
        this.json = json;
    }

    /**
     * What to show. Each part is optional.
     *
     * @param actor  a login ID or its beginning (normalized like a login ID), or a user id (all digits; then login
     *               IDs starting with those digits match too)
     * @param action an action name, which also matches the actions below it ({@code auth.login} matches
     *               {@code auth.login.failed}), or a prefix ending in a dot ({@code policy.})
     * @param from   earliest time, inclusive
     * @param to     latest time, exclusive
     */
    public record Filter(String actor, String action, Instant from, Instant to) {

        /** No filter: everything. */
        public static final Filter ALL = new Filter(null, null, null, null);

        /** Validates the query parameters as sent; {@code invalid_field} naming the bad one. */
        public static Filter parse(String actor, String action, String from, String to) {
            String a = blank(actor) ? null : LoginIds.normalize(actor);
            if (a != null && a.length() > MAX_FILTER_CHARS) {
                throw KairanException.invalidField("actor", "at most " + MAX_FILTER_CHARS + " characters");
            }
            String act = blank(action) ? null : action.strip().toLowerCase(java.util.Locale.ROOT);
            if (act != null && !ACTION.matcher(act).matches()) {
                throw KairanException.invalidField("action", "an action name or a prefix of one (a-z 0-9 . _ -)");
            }
            Instant f = time("from", from);
            Instant t = time("to", to);
            if (f != null && t != null && f.isAfter(t)) {
                throw KairanException.invalidField("to", "must not be before from");
            }
            return new Filter(a, act, f, t);
        }

        /** The filters that are set, for the audit detail of a view or export. */
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (actor != null) {
                m.put("actor", actor);
            }
            if (action != null) {
                m.put("action", action);
            }
            if (from != null) {
                m.put("from", from.toString());
            }
            if (to != null) {
                m.put("to", to.toString());
            }
            return m;
        }

        private static Instant time(String field, String raw) {
            if (blank(raw)) {
                return null;
            }
            String s = raw.strip();
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw KairanException.invalidField(field, "an ISO-8601 time with a zone, e.g. 2026-11-26T09:00:00+09:00");
            }
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }

    /**
     * A page of the organization's events matching {@code filter}, newest first, before the chain seq
     * {@code before} (null: from the newest). Owners and admins only ({@code forbidden}); another organization is
     * {@code not_found}. The first page of a search is recorded as {@code audit.viewed}.
     *
     * @param before the {@code before} parameter as sent (a chain seq), or null
     * @param limit  the {@code limit} parameter as sent (1..500, default 100), or null
     */
    public AuditPage page(Principal actor, long orgId, Filter filter, String before, String limit, Origin origin) {
        actor.requireAdminOf(orgId);
        Long beforeSeq = before == null || before.isBlank() ? null : positive("before", before, Long.MAX_VALUE);
        int n = limit == null || limit.isBlank() ? DEFAULT_LIMIT : (int) positive("limit", limit, MAX_LIMIT);
        return db.call(tx -> {
            List<AuditRepository.Row> rows = events.select(tx, orgId, filter, beforeSeq, n + 1);
            boolean more = rows.size() > n;
            List<AuditEntry> events = (more ? rows.subList(0, n) : rows).stream().map(this::entry).toList();
            if (beforeSeq == null) {
                audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.AUDIT_VIEWED, "org",
                        Long.toString(orgId), filter.describe()), origin);
            }
            return new AuditPage(events, more, more ? events.get(events.size() - 1).chainSeq() : null);
        });
    }

    /**
     * A download of the events matching {@code filter}: fixes what it holds (every match up to the newest event
     * now), counts it and records {@code audit.exported} with the filters and the count, committed before anything
     * is sent. Owners and admins only, as {@link #page}.
     */
    public Export export(Principal actor, long orgId, Filter filter, Origin origin) {
        actor.requireAdminOf(orgId);
        return db.call(tx -> {
            long upTo = events.newestSeq(tx, orgId);
            long rows = events.count(tx, orgId, filter, upTo + 1);
            Map<String, Object> detail = new LinkedHashMap<>(filter.describe());
            detail.put("format", "csv");
            detail.put("rows", rows);
            detail.put("upToSeq", upTo);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.AUDIT_EXPORTED, "org",
                    Long.toString(orgId), detail), origin);
            return new Export(orgId, filter, upTo, rows);
        });
    }

    /**
     * An export as recorded: the events of {@code orgId} matching {@code filter} with a chain seq up to
     * {@code upToSeq}, {@code rows} of them when it was recorded.
     */
    public record Export(long orgId, Filter filter, long upToSeq, long rows) {
    }

    /**
     * Writes an export as CSV ({@link AuditQueryCsv}) to {@code out}, newest first, reading {@value #EXPORT_BATCH}
     * rows per transaction; memory use does not grow with the number of rows. Does not close {@code out}.
     *
     * @return the number of rows written
     */
    public long writeCsv(Export export, OutputStream out) throws IOException {
        AuditQueryCsv csv = new AuditQueryCsv(out);
        csv.header();
        long cursor = export.upToSeq() + 1;
        long written = 0;
        while (true) {
            long before = cursor;
            List<AuditRepository.Row> batch = db.call(tx -> events.select(tx, export.orgId(), export.filter(), before, EXPORT_BATCH));
            for (AuditRepository.Row e : batch) {
                csv.row(e);
            }
            written += batch.size();
            csv.flush();
            if (batch.size() < EXPORT_BATCH) {
                return written;
            }
            cursor = batch.get(batch.size() - 1).chainSeq();
        }
    }

    private AuditEntry entry(AuditRepository.Row r) {
        return new AuditEntry(Long.toString(r.id()), r.chainSeq(), r.occurredAt(), r.actorId() == null ? null : r.actorId().toString(),
                r.actorLogin(), r.actorName(), r.action(), r.targetType(), r.targetId(), r.ip(), r.requestId(), detail(r.detail()));
    }

    /** The stored detail as a JSON object; text that is not one (cut at its maximum length) as {@code {"raw": …}}. */
    private Map<String, Object> detail(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Map<String, Object> m = json.readValue(text, DETAIL);
            if (m != null) {
                return m;
            }
        } catch (IOException | RuntimeException e) {
            // falls through to the raw text
        }
        return Map.of("raw", text);
    }

    private static long positive(String field, String raw, long max) {
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw KairanException.invalidField(field, max == Long.MAX_VALUE ? "a positive chain seq" : "1.." + max);
    }
}
