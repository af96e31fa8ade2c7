package jp.kairan.server.device;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/** Devices in SQL. Every method joins the caller's transaction. */
final class DeviceRepository {
    private static final String COLUMNS = "d.id, d.org_id, d.user_id, d.name, d.jkt, d.status, d.user_agent, d.first_ip, "
            + "d.last_ip, d.last_seen_at, d.created_at, d.decided_at, d.decided_by, d.revoked_at, d.revoked_by, "
            + "d.revoke_reason, d.wipe_confirmed_at, u.display_name, u.login_id, u.department_id, "
            + "du.display_name, ru.display_name, d.decision_reason";
    private static final String FROM = " FROM devices d JOIN users u ON u.id = d.user_id"
            + " LEFT JOIN users du ON du.id = d.decided_by LEFT JOIN users ru ON ru.id = d.revoked_by";

    /** A device with the names the views show. */
    record DeviceRow(long id, Long orgId, long userId, String name, String jkt, DeviceStatus status, String userAgent,
                     String firstIp, String lastIp, Instant lastSeenAt, Instant createdAt, Instant decidedAt,
                     Long decidedBy, Instant revokedAt, Long revokedBy, String revokeReason, Instant wipeConfirmedAt,
                     String userName, String loginId, Long departmentId, String decidedByName, String revokedByName,
                     String decisionReason) {
        DeviceState state() {
            return new DeviceState(id, orgId, userId, jkt, status);
        }
    }

    /** What a list may be narrowed to; null fields do not narrow. */
    record Filter(long orgId, Long userId, Long departmentId, DeviceStatus status, String text, int limit) {
    }

    void insert(Tx tx, long id, Long orgId, long userId, String name, String jkt, String publicJwk, DeviceStatus status,
                String userAgent, String ip, Instant now, boolean decidedNow) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (id, org_id, user_id, name, jkt, public_jwk, "
                    + "status, user_agent, first_ip, last_ip, last_seen_at, created_at, decided_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, id);
                setLong(ps, 2, orgId);
                ps.setLong(3, userId);
                ps.setString(4, name);
                ps.setString(5, jkt);
                ps.setString(6, publicJwk);
                ps.setString(7, status.wireName());
                ps.setString(8, userAgent);
                ps.setString(9, ip);
                ps.setString(10, ip);
                ps.setObject(11, UtcTimes.toColumn(now));
                ps.setObject(12, UtcTimes.toColumn(now));
                ps.setObject(13, decidedNow ? UtcTimes.toColumn(now) : null);
                return ps.executeUpdate();
            }
        });
    }

    Optional<DeviceRow> find(Tx tx, long id) {
        return one(tx, " WHERE d.id = ?", id);
    }

    Optional<DeviceRow> findByJkt(Tx tx, String jkt) {
        return one(tx, " WHERE d.jkt = ?", jkt);
    }

    Optional<DeviceState> state(Tx tx, long id) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id, user_id, jkt, status FROM devices WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long org = rs.getLong(2);
                    return Optional.of(new DeviceState(rs.getLong(1), rs.wasNull() ? null : org, rs.getLong(3),
                            rs.getString(4), DeviceStatus.parse(rs.getString(5))));
                }
            }
        });
    }

    /** Pending and approved devices of a user: what the device limit counts. */
    int countActive(Tx tx, long userId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM devices WHERE user_id = ? AND status IN ('pending', 'approved')")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * Whether an active owner of the org other than {@code exceptUserId} (0: nobody excepted) has an approved device,
     * that is, whether someone could approve an owner's new device.
     */
    boolean hasApprovedOwnerDevice(Tx tx, long orgId, long exceptUserId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM devices d JOIN user_roles r ON r.user_id = d.user_id "
                    + "JOIN users u ON u.id = d.user_id WHERE d.org_id = ? AND d.status = 'approved' AND r.role = 'OWNER' "
                    + "AND u.status = 'ACTIVE' AND d.user_id <> ? LIMIT 1")) {
                ps.setLong(1, orgId);
                ps.setLong(2, exceptUserId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** pending → approved or rejected; false when the device was not pending. */
    boolean decide(Tx tx, long id, DeviceStatus to, long by, String reason, Instant now) {
        return update(tx, "UPDATE devices SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? "
                + "WHERE id = ? AND status = 'pending'", to.wireName(), UtcTimes.toColumn(now), by, reason, id) == 1;
    }

    /** pending or approved → revoked; false when it was neither. */
    boolean revoke(Tx tx, long id, long by, String reason, Instant now) {
        return update(tx, "UPDATE devices SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ? "
                + "WHERE id = ? AND status IN ('pending', 'approved')", UtcTimes.toColumn(now), by, reason, id) == 1;
    }

    /** Records the wipe of a revoked device once; false when it is not revoked or already confirmed. */
    boolean confirmWipe(Tx tx, long id, Instant now) {
        return update(tx, "UPDATE devices SET wipe_confirmed_at = ? WHERE id = ? AND status = 'revoked' "
                + "AND wipe_confirmed_at IS NULL", UtcTimes.toColumn(now), id) == 1;
    }

    /** Last use of devices, in one batch. */
    void touch(Tx tx, Map<Long, DeviceService.Seen> seen) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE devices SET last_seen_at = ?, last_ip = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)")) {
                for (Map.Entry<Long, DeviceService.Seen> e : seen.entrySet()) {
                    ps.setObject(1, UtcTimes.toColumn(e.getValue().at()));
                    ps.setString(2, e.getValue().ip());
                    ps.setLong(3, e.getKey());
                    ps.setObject(4, UtcTimes.toColumn(e.getValue().at()));
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    List<DeviceRow> listOfUser(Tx tx, long userId) {
        return many(tx, " WHERE d.user_id = ? ORDER BY d.created_at DESC, d.id DESC", List.of(userId));
    }

    /** Devices of an org: pending first, then newest. */
    List<DeviceRow> list(Tx tx, Filter f) {
        StringBuilder where = new StringBuilder(" WHERE d.org_id = ?");
        List<Object> args = new ArrayList<>(List.of(f.orgId()));
        if (f.userId() != null) {
            where.append(" AND d.user_id = ?");
            args.add(f.userId());
        }
        if (f.departmentId() != null) {
            where.append(" AND u.department_id = ?");
            args.add(f.departmentId());
        }
        if (f.status() != null) {
            where.append(" AND d.status = ?");
            args.add(f.status().wireName());
        }
        if (f.text() != null) {
            String like = "%" + f.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            where.append(" AND (d.name LIKE ? OR u.login_id LIKE ? OR u.display_name LIKE ?)");
            args.add(like);
            args.add(like);
            args.add(like);
        }
        where.append(" ORDER BY CASE WHEN d.status = 'pending' THEN 0 ELSE 1 END, d.created_at DESC, d.id DESC LIMIT ")
                .append(f.limit());
        return many(tx, where.toString(), args);
    }

    private Optional<DeviceRow> one(Tx tx, String where, Object arg) {
        List<DeviceRow> rows = many(tx, where, List.of(arg));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<DeviceRow> many(Tx tx, String where, List<Object> args) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + where)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<DeviceRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    private static DeviceRow row(ResultSet rs) throws SQLException {
        return new DeviceRow(rs.getLong(1), nullableLong(rs, 2), rs.getLong(3), rs.getString(4), rs.getString(5),
                DeviceStatus.parse(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                UtcTimes.read(rs, 10), UtcTimes.read(rs, 11), UtcTimes.read(rs, 12), nullableLong(rs, 13),
                UtcTimes.read(rs, 14), nullableLong(rs, 15), rs.getString(16), UtcTimes.read(rs, 17), rs.getString(18),
                rs.getString(19), nullableLong(rs, 20), rs.getString(21), rs.getString(22), rs.getString(23));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static int update(Tx tx, String sql, Object... args) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }
}
