package jp.kairan.server.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.kairan.protocol.api.LegalHold;
import jp.kairan.protocol.api.Retention;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.access.Principal;
import jp.kairan.server.search.SearchOutbox;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention and legal holds (DESIGN.md "Audit, retention, export"). Each organization keeps messages for its
 * period (none: for ever), a room may override it; {@link #purge()} sweeps every room of every organization —
 * idle ones too — and deletes, in batches, the messages older than the room's period with their edit history,
 * mentions, reactions and read receipts. A hold on the organization, the room, or any member of the room (a user's
 * talks) keeps the room's messages while it lasts. Each run is audited per organization with counts. Thread-safe;
 * methods block.
 */
public final class RetentionService {
    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    /** Shortest period an org may set: one day. */
    public static final int MIN_DAYS = 1;
    /** Longest: 100 years. */
    public static final int MAX_DAYS = 36_500;
    /** Messages deleted per transaction. */
    static final int BATCH = 1_000;
    public static final int MAX_REASON_CHARS = 500;

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final SearchOutbox searchOutbox;

    public RetentionService(Database db, Clock clock, AuditService audit, SearchOutbox searchOutbox) {
        this.db = db;
        this.searchOutbox = searchOutbox;
        this.clock = clock;
        this.audit = audit;
    }

    /** The outcome of one purge run. */
    public record PurgeResult(int rooms, int roomsHeld, long messages, long versions, long receipts) {
    }

    // ---------------------------------------------------------------- settings

    /** The org's period and its rooms' overrides (owners and admins). */
    public Retention get(Principal actor, long orgId) {
        actor.requireAdminOf(orgId);
        return db.call(tx -> retention(tx, orgId));
    }

    /** Sets the org's period in days, or null to keep messages for ever (owners). */
    public Retention setOrgDays(Principal actor, long orgId, Integer days, Origin origin) {
        actor.requireOwnerOf(orgId);
        validDays(days);
        return db.call(tx -> {
            Integer before = queryInt(tx, "SELECT retention_days FROM organizations WHERE id = ?", orgId);
            tx.update("UPDATE organizations SET retention_days = ?, version = version + 1 WHERE id = ?", days, orgId);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.RETENTION_CHANGED, "org",
                    Long.toString(orgId), changeDetail(before, days)), origin);
            return retention(tx, orgId);
        });
    }

    /** Overrides a room's period in days, or null to follow the org (owners and admins). */
    public Retention setRoomDays(Principal actor, long roomId, Integer days, Origin origin) {
        validDays(days);
        return db.call(tx -> {
            Long orgId = queryLong(tx, "SELECT org_id FROM rooms WHERE id = ?", roomId);
            if (orgId == null || !actor.inOrg(orgId)) {
                throw KairanException.forbidden("no such room " + roomId + " for user " + actor.userId());
            }
            actor.requireAdminOf(orgId);
            Integer before = queryInt(tx, "SELECT retention_days FROM rooms WHERE id = ?", roomId);
            tx.update("UPDATE rooms SET retention_days = ?, version = version + 1 WHERE id = ?", days, roomId);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.RETENTION_CHANGED, "room",
                    Long.toString(roomId), changeDetail(before, days)), origin);
            return retention(tx, orgId);
        });
    }

    // ---------------------------------------------------------------- holds

    /** The org's holds, active first (owners, admins and auditors). */
    public List<LegalHold> holds(Principal actor, long orgId) {
        actor.requireAdminOrAuditorOf(orgId);
        return db.call(tx -> tx.jdbc(c -> {
            List<LegalHold> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, scope, target_id, reason, created_by, created_at, released_at, "
                    + "released_by, release_reason FROM legal_holds WHERE org_id = ? ORDER BY released_at IS NULL DESC, created_at DESC")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long target = rs.getLong(3);
                        boolean noTarget = rs.wasNull();
                        long releasedBy = rs.getLong(8);
                        boolean notReleased = rs.wasNull();
                        out.add(new LegalHold(Long.toString(rs.getLong(1)), rs.getString(2), noTarget ? null : Long.toString(target),
                                rs.getString(4), Long.toString(rs.getLong(5)), UtcTimes.read(rs, 6), UtcTimes.read(rs, 7),
                                notReleased ? null : Long.toString(releasedBy), rs.getString(9)));
                    }
                }
            }
            return out;
        }));
    }

    /** Places a hold on the organization, a room or a user (owners). */
    public LegalHold placeHold(Principal actor, long orgId, String scope, String targetId, String reason, Origin origin) {
        actor.requireOwnerOf(orgId);
        String why = reason(reason);
        if (!List.of("org", "room", "user").contains(scope)) {
            throw KairanException.invalidField("scope", "org, room or user");
        }
        Long target = "org".equals(scope) ? null : parseId(targetId);
        long id = Ids.next();
        db.call(tx -> {
            if ("room".equals(scope) && !Long.valueOf(orgId).equals(queryLong(tx, "SELECT org_id FROM rooms WHERE id = ?", target))
                    || "user".equals(scope) && !Long.valueOf(orgId).equals(queryLong(tx, "SELECT org_id FROM users WHERE id = ?", target))) {
                throw KairanException.invalidField("targetId", "a room or user of the organization");
            }
            tx.update("INSERT INTO legal_holds (id, org_id, scope, target_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    id, orgId, scope, target, why, actor.userId(), UtcTimes.toColumn(clock.instant()));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("holdId", Long.toString(id));
            detail.put("scope", scope);
            detail.put("targetId", target == null ? "" : Long.toString(target));
            detail.put("reason", why);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.HOLD_PLACED, "legal-hold",
                    Long.toString(id), detail), origin);
            return null;
        });
        return holds(actor, orgId).stream().filter(h -> h.id().equals(Long.toString(id))).findFirst().orElseThrow();
    }

    /** Releases a hold (owners); purging may then resume. */
    public LegalHold releaseHold(Principal actor, long orgId, long holdId, String reason, Origin origin) {
        actor.requireOwnerOf(orgId);
        String why = reason(reason);
        db.call(tx -> {
            int n = tx.update("UPDATE legal_holds SET released_at = ?, released_by = ?, release_reason = ? "
                    + "WHERE id = ? AND org_id = ? AND released_at IS NULL", UtcTimes.toColumn(clock.instant()), actor.userId(), why,
                    holdId, orgId);
            if (n == 0) {
                throw KairanException.notFound("active hold " + holdId);
            }
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.HOLD_RELEASED, "legal-hold",
                    Long.toString(holdId), Map.of("reason", why)), origin);
            return null;
        });
        return holds(actor, orgId).stream().filter(h -> h.id().equals(Long.toString(holdId))).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- purge

    /** Purges the organization's expired messages now (owners), e.g. after shortening the period; audited as a run. */
    public PurgeResult purgeNow(Principal actor, long orgId) {
        actor.requireOwnerOf(orgId);
        return purgeOrg(orgId, clock.instant());
    }

    /** Purges every organization's expired messages; one audit event per organization that had something to do. */
    public Map<Long, PurgeResult> purge() {
        Instant now = clock.instant();
        List<Long> orgs = db.call(tx -> tx.jdbc(c -> ids(c, "SELECT id FROM organizations ORDER BY id")));
        Map<Long, PurgeResult> results = new LinkedHashMap<>();
        for (long orgId : orgs) {
            PurgeResult r = purgeOrg(orgId, now);
            if (r.rooms() > 0) {
                results.put(orgId, r);
            }
        }
        return results;
    }

    private PurgeResult purgeOrg(long orgId, Instant now) {
        record RoomPeriod(long roomId, int days) {
        }
        List<RoomPeriod> rooms = new ArrayList<>();
        Set<Long> held = new HashSet<>();
        boolean orgHeld = db.call(tx -> tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, COALESCE(r.retention_days, o.retention_days) FROM rooms r "
                    + "JOIN organizations o ON o.id = r.org_id WHERE r.org_id = ? AND COALESCE(r.retention_days, o.retention_days) IS NOT NULL")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(new RoomPeriod(rs.getLong(1), rs.getInt(2)));
                    }
                }
            }
            held.addAll(ids(c, "SELECT target_id FROM legal_holds WHERE org_id = " + orgId + " AND scope = 'room' AND released_at IS NULL"));
            held.addAll(ids(c, "SELECT DISTINCT m.room_id FROM room_members m JOIN legal_holds h ON h.target_id = m.user_id "
                    + "WHERE h.org_id = " + orgId + " AND h.scope = 'user' AND h.released_at IS NULL"));
            return !ids(c, "SELECT id FROM legal_holds WHERE org_id = " + orgId + " AND scope = 'org' AND released_at IS NULL").isEmpty();
        }));
        if (rooms.isEmpty()) {
            return new PurgeResult(0, 0, 0, 0, 0);
        }
        long messages = 0;
        long versions = 0;
        long receipts = 0;
        int heldRooms = 0;
        for (RoomPeriod room : rooms) {
            if (orgHeld || held.contains(room.roomId())) {
                heldRooms++;
                continue;
            }
            Instant cutoff = now.minus(Duration.ofDays(room.days()));
            long[] counts = purgeRoom(room.roomId(), cutoff);
            messages += counts[0];
            versions += counts[1];
            receipts += counts[2];
        }
        PurgeResult result = new PurgeResult(rooms.size(), heldRooms, messages, versions, receipts);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("rooms", result.rooms());
        detail.put("roomsHeld", result.roomsHeld());
        detail.put("messages", result.messages());
        detail.put("versions", result.versions());
        detail.put("receipts", result.receipts());
        db.call(tx -> {
            audit.record(tx, new AuditEvent(orgId, null, null, AuditAction.RETENTION_PURGED, "org", Long.toString(orgId), detail),
                    new Origin("server", null));
            return null;
        });
        if (messages > 0) {
            log.info("retention: purged {} messages in org {} ({} rooms held)", messages, orgId, heldRooms);
        }
        return result;
    }

    /**
     * Deletes a room's messages sent before {@code cutoff}, oldest first, a batch per transaction. Sequence numbers
     * grow with the time messages are stored, so the cutoff becomes a seq and the batches walk the (room, seq) key.
     */
    private long[] purgeRoom(long roomId, Instant cutoff) {
        long[] total = new long[3];
        Long lastExpired = db.call(tx -> tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM messages WHERE room_id = ? AND sent_at < ?")) {
                ps.setLong(1, roomId);
                ps.setObject(2, UtcTimes.toColumn(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        }));
        if (lastExpired == null) {
            return total;
        }
        while (true) {
            long[] batch = db.call(tx -> tx.jdbc(c -> {
                long maxSeq;
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, seq FROM messages WHERE room_id = ? AND seq <= ? "
                        + "ORDER BY seq LIMIT " + BATCH)) {
                    ps.setLong(1, roomId);
                    ps.setLong(2, lastExpired);
                    maxSeq = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            maxSeq = Math.max(maxSeq, rs.getLong(2));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    return new long[] {0, 0, 0};
                }
                String in = String.join(",", ids.stream().map(String::valueOf).toList());
                long versions = exec(c, "DELETE FROM message_versions WHERE message_id IN (" + in + ")");
                exec(c, "DELETE FROM message_reactions WHERE message_id IN (" + in + ")");
                exec(c, "DELETE FROM message_mentions WHERE room_id = " + roomId + " AND seq <= " + maxSeq
                        + " AND message_id IN (" + in + ")");
                long receipts = exec(c, "DELETE FROM read_receipts WHERE room_id = " + roomId + " AND up_to_seq <= " + maxSeq);
                long messages = exec(c, "DELETE FROM messages WHERE id IN (" + in + ")");
                // The index forgets them in step: the outbox rows commit with the deletion.
                searchOutbox.record(c, ids, clock.instant());
                return new long[] {messages, versions, receipts};
            }));
            total[0] += batch[0];
            total[1] += batch[1];
            total[2] += batch[2];
            if (batch[0] > 0) {
                searchOutbox.wake();
            }
            if (batch[0] < BATCH) {
                return total;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Retention retention(Tx tx, long orgId) {
        return tx.jdbc(c -> {
            Integer orgDays = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT retention_days FROM organizations WHERE id = ?")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw KairanException.notFound("organization");
                    }
                    int d = rs.getInt(1);
                    orgDays = rs.wasNull() ? null : d;
                }
            }
            List<Retention.RoomRetention> rooms = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, retention_days FROM rooms WHERE org_id = ? AND retention_days IS NOT NULL ORDER BY id")) {
                ps.setLong(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(new Retention.RoomRetention(Long.toString(rs.getLong(1)), rs.getString(2), rs.getInt(3)));
                    }
                }
            }
            return new Retention(orgDays, rooms);
        });
    }

    private static Map<String, Object> changeDetail(Integer before, Integer after) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", before == null ? "forever" : before);
        detail.put("to", after == null ? "forever" : after);
        return detail;
    }

    private static void validDays(Integer days) {
        if (days != null && (days < MIN_DAYS || days > MAX_DAYS)) {
            throw KairanException.invalidField("days", MIN_DAYS + ".." + MAX_DAYS + " or null");
        }
    }

    private static String reason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON_CHARS) {
            throw KairanException.invalidField("reason", "1.." + MAX_REASON_CHARS + " characters");
        }
        return why;
    }

    private static Long parseId(String id) {
        try {
            return Long.parseLong(id == null ? "" : id);
        } catch (NumberFormatException e) {
            throw KairanException.invalidField("targetId", "an id");
        }
    }




    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long v = rs.getLong(1);
                if (!rs.wasNull()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static long exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.executeUpdate();
        }
    }


    private static Integer queryInt(Tx tx, String sql, long id) {
        Long v = queryLong(tx, sql, id);
        return v == null ? null : Math.toIntExact(v);
    }

    private static Long queryLong(Tx tx, String sql, long id) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }
}
