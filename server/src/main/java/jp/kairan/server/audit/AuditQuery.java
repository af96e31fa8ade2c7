package jp.kairan.server.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

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
            List<Row> rows = select(tx, orgId, filter, beforeSeq, n + 1);
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
            long upTo = newestSeq(tx, orgId);
            long rows = count(tx, orgId, filter, upTo + 1);
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
            List<Row> batch = db.call(tx -> select(tx, export.orgId(), export.filter(), before, EXPORT_BATCH));
            for (Row e : batch) {
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

    // ------------------------------------------------------------------ SQL

    private static final String COLUMNS = "SELECT e.id, e.chain_seq, e.occurred_at, e.actor_id, e.actor_login, u.display_name, "
            + "e.action, e.target_type, e.target_id, e.ip, e.request_id, e.detail "
            + "FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id WHERE ";

    /** A WHERE clause and its arguments. */
    private record Where(String sql, List<Object> args) {
        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
        }
    }

    private static Where where(long orgId, Filter f, Long beforeSeq) {
        StringBuilder sql = new StringBuilder("e.chain_key = ? AND e.org_id = ?");
        List<Object> args = new ArrayList<>(List.of(orgId, orgId));
        if (f.actor() != null) {
            Long id = userId(f.actor());
            if (id != null) {
                sql.append(" AND (e.actor_id = ? OR e.actor_login LIKE ? ESCAPE '!')");
                args.add(id);
            } else {
                sql.append(" AND e.actor_login LIKE ? ESCAPE '!'");
            }
            args.add(likePrefix(f.actor()));
        }
        if (f.action() != null) {
            if (f.action().endsWith(".")) {
                sql.append(" AND e.action LIKE ? ESCAPE '!'");
                args.add(likePrefix(f.action()));
            } else {
                sql.append(" AND (e.action = ? OR e.action LIKE ? ESCAPE '!')");
                args.add(f.action());
                args.add(likePrefix(f.action() + "."));
            }
        }
        if (f.from() != null) {
            sql.append(" AND e.occurred_at >= ?");
            args.add(UtcTimes.toColumn(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND e.occurred_at < ?");
            args.add(UtcTimes.toColumn(f.to()));
        }
        if (beforeSeq != null) {
            sql.append(" AND e.chain_seq < ?");
            args.add(beforeSeq);
        }
        return new Where(sql.toString(), args);
    }

    /** One event as read, its detail as the stored text. */
    record Row(long id, long chainSeq, Instant occurredAt, Long actorId, String actorLogin, String actorName, String action,
               String targetType, String targetId, String ip, String requestId, String detail) {
    }

    private static List<Row> select(Tx tx, long orgId, Filter f, Long beforeSeq, int limit) {
        Where w = where(orgId, f, beforeSeq);
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + w.sql() + " ORDER BY e.chain_seq DESC LIMIT " + limit)) {
                w.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Row> out = new ArrayList<>();
                    while (rs.next()) {
                        long actorId = rs.getLong(4);
                        Long actor = rs.wasNull() ? null : actorId;
                        out.add(new Row(rs.getLong(1), rs.getLong(2), UtcTimes.read(rs, 3), actor, rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                                rs.getString(11), rs.getString(12)));
                    }
                    return out;
                }
            }
        });
    }

    private static long count(Tx tx, long orgId, Filter f, long beforeSeq) {
        Where w = where(orgId, f, beforeSeq);
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_events e WHERE " + w.sql())) {
                w.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static long newestSeq(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(chain_seq) FROM audit_events WHERE chain_key = ?")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private AuditEntry entry(Row r) {
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

    private static Long userId(String actor) {
        if (!actor.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        try {
            return Long.parseLong(actor);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A LIKE pattern for values starting with {@code prefix}, with {@code !} as the escape character. */
    static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
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
