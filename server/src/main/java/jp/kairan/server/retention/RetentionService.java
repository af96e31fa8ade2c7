package jp.kairan.server.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import jp.kairan.server.text.UnicodeRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention and legal holds (DESIGN.md "Audit, retention, export"). Each organization keeps messages for its
 * period (none: for ever), a room may override it; {@link #purge()} sweeps every room of every organization —
 * idle ones too — and deletes, in batches, the messages older than the room's period with their edit history,
 * mentions, reactions and read receipts. A hold on the organization, the room, or any member of the room (a user's
 * talks) keeps the room's messages while it lasts. Each run is audited per organization with counts. Thread-safe;
 * methods block. The SQL is {@link RetentionRepository}'s; this class keeps the rules and opens the transactions: one
 * per setting or hold change, and during a purge one to read the org's rooms and holds, one per batch of
 * {@value #BATCH} messages (with their search-outbox rows), and one for the run's audit event.
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
    private final RetentionRepository repository = new RetentionRepository();

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
        return db.call(tx -> repository.retention(tx, orgId));
    }

    /** Sets the org's period in days, or null to keep messages for ever (owners). */
    public Retention setOrgDays(Principal actor, long orgId, Integer days, Origin origin) {
        actor.requireOwnerOf(orgId);
        validDays(days);
        return db.call(tx -> {
            Integer before = repository.orgDays(tx, orgId);
            repository.setOrgDays(tx, orgId, days);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.RETENTION_CHANGED, "org",
                    Long.toString(orgId), changeDetail(before, days)), origin);
            return repository.retention(tx, orgId);
        });
    }

    /** Overrides a room's period in days, or null to follow the org (owners and admins). */
    public Retention setRoomDays(Principal actor, long roomId, Integer days, Origin origin) {
        validDays(days);
        return db.call(tx -> {
            Long orgId = repository.roomOrg(tx, roomId);
            if (orgId == null || !actor.inOrg(orgId)) {
                throw KairanException.forbidden("no such room " + roomId + " for user " + actor.userId());
            }
            actor.requireAdminOf(orgId);
            Integer before = repository.roomDays(tx, roomId);
            repository.setRoomDays(tx, roomId, days);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.RETENTION_CHANGED, "room",
                    Long.toString(roomId), changeDetail(before, days)), origin);
            return repository.retention(tx, orgId);
        });
    }

    // ---------------------------------------------------------------- holds

    /** The org's holds, active first (owners, admins and auditors). */
    public List<LegalHold> holds(Principal actor, long orgId) {
        actor.requireAdminOrAuditorOf(orgId);
        return db.call(tx -> repository.holds(tx, orgId));
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
            if ("room".equals(scope) && !Long.valueOf(orgId).equals(repository.roomOrg(tx, target))
                    || "user".equals(scope) && !Long.valueOf(orgId).equals(repository.userOrg(tx, target))) {
                throw KairanException.invalidField("targetId", "a room or user of the organization");
            }
            repository.insertHold(tx, id, orgId, scope, target, why, actor.userId(), clock.instant());
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
            if (!repository.releaseHold(tx, orgId, holdId, actor.userId(), why, clock.instant())) {
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
        List<Long> orgs = db.call(repository::orgIds);
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
        record Plan(List<RetentionRepository.RoomPeriod> rooms, RetentionRepository.Holds holds) {
        }
        Plan plan = db.call(tx -> new Plan(repository.expiringRooms(tx, orgId), repository.activeHolds(tx, orgId)));
        if (plan.rooms().isEmpty()) {
            return new PurgeResult(0, 0, 0, 0, 0);
        }
        long messages = 0;
        long versions = 0;
        long receipts = 0;
        int heldRooms = 0;
        for (RetentionRepository.RoomPeriod room : plan.rooms()) {
            if (plan.holds().org() || plan.holds().rooms().contains(room.roomId())) {
                heldRooms++;
                continue;
            }
            Instant cutoff = now.minus(Duration.ofDays(room.days()));
            long[] counts = purgeRoom(room.roomId(), cutoff);
            messages += counts[0];
            versions += counts[1];
            receipts += counts[2];
        }
        PurgeResult result = new PurgeResult(plan.rooms().size(), heldRooms, messages, versions, receipts);
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
        Long lastExpired = db.call(tx -> repository.lastSeqBefore(tx, roomId, cutoff));
        if (lastExpired == null) {
            return total;
        }
        while (true) {
            RetentionRepository.PurgedBatch batch = db.call(tx -> {
                RetentionRepository.PurgedBatch b = repository.deleteOldest(tx, roomId, lastExpired, BATCH);
                // The index forgets them in step: the outbox rows commit with the deletion.
                searchOutbox.record(tx, b.messageIds(), clock.instant());
                return b;
            });
            total[0] += batch.messages();
            total[1] += batch.versions();
            total[2] += batch.receipts();
            if (batch.messages() > 0) {
                searchOutbox.wake();
            }
            if (batch.messages() < BATCH) {
                return total;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

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
        String bad = UnicodeRules.forbiddenInReason(why);
        if (bad != null) {
            throw KairanException.invalidField("reason", "no control, format, bidi or zero-width characters (found " + bad + ")");
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
}
