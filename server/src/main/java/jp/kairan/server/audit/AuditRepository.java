package jp.kairan.server.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * Audit events in the database: the insert (Hibernate, one small row per action) and the reads of the audit view and
 * export (JDBC, filtered and paged by chain seq). Every method joins the caller's transaction. Stateless.
 */
final class AuditRepository {
    private static final String COLUMNS = "SELECT e.id, e.chain_seq, e.occurred_at, e.actor_id, e.actor_login, u.display_name, "
            + "e.action, e.target_type, e.target_id, e.ip, e.request_id, e.detail "
            + "FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id WHERE ";

    /** One event as the audit view reads it, its detail as the stored text. */
    record Row(long id, long chainSeq, Instant occurredAt, Long actorId, String actorLogin, String actorName, String action,
               String targetType, String targetId, String ip, String requestId, String detail) {
    }

    /** Stores an event whose place in its chain and hash are already set. */
    void insert(Tx tx, AuditChain.Row event, String hash) {
        AuditEventEntity e = new AuditEventEntity();
        e.id = event.id();
        e.orgId = event.orgId();
        e.occurredAt = event.occurredAt();
        e.actorId = event.actorId();
        e.actorLogin = event.actorLogin();
        e.action = event.action();
        e.targetType = event.targetType();
        e.targetId = event.targetId();
        e.ip = event.ip();
        e.requestId = event.requestId();
        e.detail = event.detail();
        e.chainKey = event.chainKey();
        e.chainSeq = event.chainSeq();
        e.prevHash = event.prevHash();
        e.hash = hash;
        tx.session().persist(e);
    }

    /** The newest events of an organization (null: server-wide ones), newest first. */
    List<AuditRecord> recent(Tx tx, Long orgId, int limit) {
        String where = orgId == null ? "e.orgId is null" : "e.orgId = :org";
        var q = tx.session().createSelectionQuery("from AuditEventEntity e where " + where + " order by e.id desc",
                AuditEventEntity.class).setMaxResults(limit);
        if (orgId != null) {
            q.setParameter("org", orgId);
        }
        return q.getResultList().stream()
                .map(e -> new AuditRecord(e.id, e.orgId, e.occurredAt, e.actorId, e.actorLogin, e.action,
                        e.targetType, e.targetId, e.ip, e.requestId, e.detail))
                .toList();
    }

    /** Up to {@code limit} of the organization's events matching {@code f} below {@code beforeSeq} (null: all), newest first. */
    List<Row> select(Tx tx, long orgId, AuditQuery.Filter f, Long beforeSeq, int limit) {
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

    /** How many of the organization's events match {@code f} below {@code beforeSeq}. */
    long count(Tx tx, long orgId, AuditQuery.Filter f, long beforeSeq) {
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

    /** The chain seq of the organization's newest event; 0 when it has none. */
    long newestSeq(Tx tx, long orgId) {
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

    /** A WHERE clause and its arguments. */
    private record Where(String sql, List<Object> args) {
        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
        }
    }

    private static Where where(long orgId, AuditQuery.Filter f, Long beforeSeq) {
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

    /** The actor filter as a user id, when it is all digits (login IDs starting with them match too). */
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
}
