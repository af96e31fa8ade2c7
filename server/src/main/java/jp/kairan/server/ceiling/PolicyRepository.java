package jp.kairan.server.ceiling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.kairan.server.policy.ImportanceClass;
import jp.kairan.server.policy.Terms;
import jp.kairan.server.policy.Topic;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/** Ceilings, emergencies, org terms and the hash key in SQL. Every method joins the caller's transaction. */
final class PolicyRepository {
    static final String PENDING = "pending";
    static final String ACTIVE = "active";
    static final String ENDED = "ended";

    /** A room's ceiling facts: its own, the org's default and the org's emergency settings. */
    record Ceilings(long roomId, long orgId, ImportanceClass own, ImportanceClass orgDefault, int emergencyMaxHours,
                    boolean singleApprover) {
        ImportanceClass ceiling() {
            return own != null ? own : orgDefault;
        }
    }

    /** A pending or active emergency, with the names of the people involved. */
    record EmergencyRow(long id, long roomId, long orgId, String state, String reason, int hours, long requestedBy,
                        String requestedByName, Instant requestedAt, Long approvedBy, String approvedByName,
                        Instant approvedAt, Instant endsAt) {
        boolean activeAt(Instant now) {
            return ACTIVE.equals(state) && endsAt != null && now.isBefore(endsAt);
        }
    }

    Optional<Ceilings> ceilings(Tx tx, long roomId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.org_id, r.ceiling, o.default_ceiling, "
                    + "o.emergency_max_hours, o.emergency_single_approver FROM rooms r JOIN organizations o ON o.id = r.org_id "
                    + "WHERE r.id = ?")) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Ceilings(rs.getLong(1), rs.getLong(2), parse(rs.getString(3)),
                            parse(rs.getString(4)), rs.getInt(5), rs.getBoolean(6)));
                }
            }
        });
    }

    /** The rooms of an organization that follow its default ceiling. */
    List<Long> roomsFollowingDefault(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM rooms WHERE org_id = ? AND ceiling IS NULL")) {
                ps.setLong(1, orgId);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    void setRoomCeiling(Tx tx, long roomId, ImportanceClass ceiling) {
        tx.jdbc(c -> update(c, "UPDATE rooms SET ceiling = ?, version = version + 1 WHERE id = ?",
                ceiling == null ? null : ceiling.wireName(), roomId));
    }

    /** The room's pending or active emergency, locked for update when {@code lock}. */
    Optional<EmergencyRow> openEmergency(Tx tx, long roomId, boolean lock) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_EMERGENCY + "WHERE e.room_id = ? AND e.state <> 'ended'"
                    + (lock ? " FOR UPDATE" : ""))) {
                ps.setLong(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(emergency(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Active emergencies whose time is up, and pending ones older than {@code pendingBefore}. */
    List<EmergencyRow> due(Tx tx, Instant now, Instant pendingBefore) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_EMERGENCY
                    + "WHERE (e.state = 'active' AND e.ends_at <= ?) OR (e.state = 'pending' AND e.requested_at <= ?)")) {
                ps.setObject(1, UtcTimes.toColumn(now));
                ps.setObject(2, UtcTimes.toColumn(pendingBefore));
                List<EmergencyRow> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(emergency(rs));
                    }
                }
                return rows;
            }
        });
    }

    void insertEmergency(Tx tx, long id, long roomId, long orgId, String state, String reason, int hours, long requestedBy,
                         Instant now, Instant endsAt) {
        tx.jdbc(c -> update(c, "INSERT INTO room_emergencies (id, room_id, org_id, state, reason, hours, requested_by, "
                        + "requested_at, approved_by, approved_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, roomId, orgId, state, reason, hours, requestedBy, UtcTimes.toColumn(now),
                ACTIVE.equals(state) ? requestedBy : null, ACTIVE.equals(state) ? UtcTimes.toColumn(now) : null,
                UtcTimes.toColumn(endsAt)));
    }

    void approveEmergency(Tx tx, long id, long approvedBy, Instant now, Instant endsAt) {
        tx.jdbc(c -> update(c, "UPDATE room_emergencies SET state = 'active', approved_by = ?, approved_at = ?, ends_at = ? "
                + "WHERE id = ?", approvedBy, UtcTimes.toColumn(now), UtcTimes.toColumn(endsAt), id));
    }

    void endEmergency(Tx tx, long id, Long endedBy, Instant now, String kind) {
        tx.jdbc(c -> update(c, "UPDATE room_emergencies SET state = 'ended', ended_at = ?, ended_by = ?, end_kind = ? "
                + "WHERE id = ?", UtcTimes.toColumn(now), endedBy, kind, id));
    }

    List<Terms.Term> terms(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT category, kind, term FROM policy_terms WHERE org_id = ? ORDER BY category, kind, term")) {
                ps.setLong(1, orgId);
                List<Terms.Term> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Optional<Topic> topic = Topic.parse(rs.getString(1));
                        Optional<Terms.Kind> kind = Terms.Kind.parse(rs.getString(2));
                        if (topic.isPresent() && kind.isPresent()) {
                            rows.add(new Terms.Term(topic.get(), kind.get(), rs.getString(3)));
                        }
                    }
                }
                return rows;
            }
        });
    }

    void replaceTerms(Tx tx, long orgId, List<Terms.Term> terms, long by, Instant now) {
        tx.jdbc(c -> {
            update(c, "DELETE FROM policy_terms WHERE org_id = ?", orgId);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_terms (id, org_id, category, kind, term, "
                    + "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Terms.Term t : terms) {
                    ps.setLong(1, Ids.next());
                    ps.setLong(2, orgId);
                    ps.setString(3, t.topic().id());
                    ps.setString(4, t.kind().wireName());
                    ps.setString(5, t.term());
                    ps.setLong(6, by);
                    ps.setObject(7, UtcTimes.toColumn(now));
                    ps.addBatch();
                }
                if (!terms.isEmpty()) {
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    Optional<byte[]> secret(Tx tx, String name) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM server_secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    void insertSecret(Tx tx, String name, byte[] secret, Instant now) {
        tx.jdbc(c -> update(c, "INSERT INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?)", name, secret,
                UtcTimes.toColumn(now)));
    }

    private static final String SELECT_EMERGENCY = "SELECT e.id, e.room_id, e.org_id, e.state, e.reason, e.hours, "
            + "e.requested_by, ru.display_name, e.requested_at, e.approved_by, au.display_name, e.approved_at, e.ends_at "
            + "FROM room_emergencies e JOIN users ru ON ru.id = e.requested_by LEFT JOIN users au ON au.id = e.approved_by ";

    private static EmergencyRow emergency(ResultSet rs) throws SQLException {
        long approvedBy = rs.getLong(10);
        Long approver = rs.wasNull() ? null : approvedBy;
        return new EmergencyRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getLong(7), rs.getString(8), UtcTimes.read(rs, 9), approver, rs.getString(11), UtcTimes.read(rs, 12),
                UtcTimes.read(rs, 13));
    }

    private static ImportanceClass parse(String wire) {
        return wire == null ? null : ImportanceClass.parse(wire).orElse(ImportanceClass.II);
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
