package jp.kairan.server.export;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.kairan.protocol.api.ExportJob;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * Export jobs in SQL: the {@code exports} rows through their states (queued, running, done, failed, expired) and
 * the rooms a job covers. Every method joins the caller's transaction. Stateless and thread-safe.
 */
final class ExportRepository {
    private static final String JOB_COLUMNS = "SELECT id, scope, target_id, from_at, to_at, state, message_count, size_bytes, "
            + "sha256, requested_by, created_at, finished_at, expires_at, error FROM exports ";

    /** What a job exports, as the worker reads it. */
    record Spec(long orgId, String scope, Long target, Instant from, Instant to) {
    }

    /** A finished archive whose time is up. */
    record Due(long id, long orgId) {
    }

    /** The organization of the room ({@code scope} "room") or user (otherwise) {@code id}; null when there is none. */
    Long targetOrg(Tx tx, String scope, long id) {
        String table = "room".equals(scope) ? "rooms" : "users";
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM " + table + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
    }

    void insert(Tx tx, long id, long orgId, long requestedBy, String scope, Long target, Instant from, Instant to, Instant now) {
        tx.update("INSERT INTO exports (id, org_id, requested_by, scope, target_id, from_at, to_at, state, message_count, size_bytes, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?)", id, orgId, requestedBy, scope, target,
                UtcTimes.toColumn(from), UtcTimes.toColumn(to), UtcTimes.toColumn(now));
    }

    /** The org's jobs, newest first. */
    List<ExportJob> list(Tx tx, long orgId) {
        return jobs(tx, "WHERE org_id = ? ORDER BY created_at DESC", orgId);
    }

    Optional<ExportJob> find(Tx tx, long orgId, long id) {
        return jobs(tx, "WHERE org_id = ? AND id = " + id, orgId).stream().findFirst();
    }

    Spec spec(Tx tx, long id) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id, scope, target_id, from_at, to_at FROM exports WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long t = rs.getLong(3);
                    return new Spec(rs.getLong(1), rs.getString(2), rs.wasNull() ? null : t, UtcTimes.read(rs, 4), UtcTimes.read(rs, 5));
                }
            }
        });
    }

    /** The rooms a job covers, by id: one room, every room the user is a member of, or the whole org. */
    List<ExportRows.Room> rooms(Tx tx, long orgId, String scope, Long target) {
        String where = switch (scope) {
            case "room" -> "r.org_id = ? AND r.id = " + target;
            case "user" -> "r.org_id = ? AND r.id IN (SELECT room_id FROM room_members WHERE user_id = " + target + ")";
            default -> "r.org_id = ?";
        };
        return tx.jdbc(c -> {
            List<ExportRows.Room> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.name FROM rooms r WHERE " + where + " ORDER BY r.id")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ExportRows.Room(rs.getLong(1), rs.getString(2) == null ? "（1対1のトーク）" : rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    void markRunning(Tx tx, long id) {
        tx.update("UPDATE exports SET state = 'running' WHERE id = ?", id);
    }

    void progress(Tx tx, long id, long messages) {
        tx.update("UPDATE exports SET message_count = ? WHERE id = ?", messages, id);
    }

    void markDone(Tx tx, long id, long messages, long size, String sha256, Instant finishedAt, Instant expiresAt) {
        tx.update("UPDATE exports SET state = 'done', message_count = ?, size_bytes = ?, sha256 = ?, finished_at = ?, expires_at = ? "
                + "WHERE id = ?", messages, size, sha256, UtcTimes.toColumn(finishedAt), UtcTimes.toColumn(expiresAt), id);
    }

    void markFailed(Tx tx, long id, Instant at, String error) {
        tx.update("UPDATE exports SET state = 'failed', finished_at = ?, error = ? WHERE id = ?", UtcTimes.toColumn(at), error, id);
    }

    /** Finished archives that expire at or before {@code now}. */
    List<Due> due(Tx tx, Instant now) {
        return tx.jdbc(c -> {
            List<Due> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id FROM exports WHERE state = 'done' AND expires_at <= ?")) {
                ps.setObject(1, UtcTimes.toColumn(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Due(rs.getLong(1), rs.getLong(2)));
                    }
                }
            }
            return out;
        });
    }

    void markExpired(Tx tx, long id) {
        tx.update("UPDATE exports SET state = 'expired' WHERE id = ?", id);
    }

    private static List<ExportJob> jobs(Tx tx, String where, long orgId) {
        return tx.jdbc(c -> {
            List<ExportJob> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(JOB_COLUMNS + where)) {
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
}
