package jp.kairan.server.ceiling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.RoomPolicyChanged;
import jp.kairan.protocol.api.CeilingRequest;
import jp.kairan.protocol.api.EmergencyRequest;
import jp.kairan.protocol.api.RoomPolicy;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.access.Principal;
import jp.kairan.server.policy.ImportanceClass;
import jp.kairan.server.room.Membership;
import jp.kairan.server.room.RoomEvents;
import jp.kairan.server.room.RoomRole;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import jp.kairan.server.text.UnicodeRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room ceilings and emergency mode (POLICY.md). Room owners and org admins make a room stricter; only org owners
 * make it less strict than the org default. An org owner asks for an emergency with a reason and a time limit; a
 * second owner or admin approves it unless the org allows a single approver; it ends early on request or by
 * itself. Every step is audited, refused attempts too, and pushed to the room's members as {@code room.policy}.
 * Methods block; they are for HTTP workers and the expiry job. Thread-safe.
 */
public final class RoomPolicies {
    private static final Logger log = LoggerFactory.getLogger(RoomPolicies.class);
    public static final int DEFAULT_EMERGENCY_HOURS = 24;
    public static final int MAX_REASON_CHARS = 500;
    /** A request nobody approved lapses after this long. */
    static final Duration PENDING_LIFETIME = Duration.ofHours(24);

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final RoomService rooms;
    private final RoomEvents events;
    private final PolicyStore store;
    private final PolicyRepository repository;

    RoomPolicies(Database db, Clock clock, AuditService audit, RoomService rooms, RoomEvents events, PolicyStore store,
                 PolicyRepository repository) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.rooms = rooms;
        this.events = events;
        this.store = store;
        this.repository = repository;
    }

    /** The room's policy: for its members and the org's owners and admins. */
    public RoomPolicy get(Principal actor, long roomId) {
        return db.call(tx -> {
            Membership room = rooms.membership(tx, roomId);
            if (!(room.exists() && (room.isMember(actor.userId()) && actor.inOrg(room.orgId()) || actor.adminOf(room.orgId())))) {
                throw KairanException.forbidden("user " + actor.userId() + " may not see room " + roomId);
            }
            return PolicyStore.toDto(store.state(tx, roomId).orElseThrow(), clock.instant());
        });
    }

    /** Sets the room's own ceiling, or (null) makes it follow the org default. */
    public RoomPolicy setCeiling(Principal actor, long roomId, CeilingRequest req, Origin origin) {
        ImportanceClass wanted = req.ceiling() == null ? null : ImportanceClass.parse(req.ceiling())
                .orElseThrow(() -> KairanException.invalidField("ceiling", "one of I, II, III, IV or null"));
        return change(actor, roomId, origin, "ceiling", (tx, room, state) -> {
            boolean roomOwner = room.members().get(actor.userId()) == RoomRole.OWNER && actor.inOrg(room.orgId());
            if (!roomOwner && !actor.adminOf(room.orgId())) {
                throw KairanException.forbidden("only the room's owners and the org's admins set its ceiling");
            }
            ImportanceClass orgDefault = state.ceilings().orgDefault();
            if (wanted != null && wanted.above(orgDefault) && !actor.ownerOf(room.orgId())) {
                throw KairanException.forbidden("only an org owner makes a room less strict than the org default");
            }
            ImportanceClass before = state.ceilings().own();
            repository.setRoomCeiling(tx, roomId, wanted);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("from", before == null ? "default" : before.wireName());
            detail.put("to", wanted == null ? "default" : wanted.wireName());
            detail.put("orgDefault", orgDefault.wireName());
            return new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.ROOM_CEILING_CHANGED, "room",
                    Long.toString(roomId), detail);
        });
    }

    /** An org owner asks for emergency mode; active at once when the org allows a single approver. */
    public RoomPolicy requestEmergency(Principal actor, long roomId, EmergencyRequest req, Origin origin) {
        String reason = req.reason() == null ? "" : req.reason().strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON_CHARS) {
            throw KairanException.invalidField("reason", "1.." + MAX_REASON_CHARS + " characters");
        }
        String bad = UnicodeRules.forbiddenInReason(reason);
        if (bad != null) {
            throw KairanException.invalidField("reason", "no control, format, bidi or zero-width characters (found " + bad + ")");
        }
        int hours = req.hours() == null ? DEFAULT_EMERGENCY_HOURS : req.hours();
        return change(actor, roomId, origin, "emergency.request", (tx, room, state) -> {
            if (!actor.ownerOf(room.orgId())) {
                throw KairanException.forbidden("only an org owner asks for emergency mode");
            }
            int max = state.ceilings().emergencyMaxHours();
            if (hours < 1 || hours > max) {
                throw KairanException.invalidField("hours", "1.." + max);
            }
            if (repository.openEmergency(tx, roomId, true).isPresent()) {
                throw KairanException.conflict("the room already has a pending or active emergency");
            }
            Instant now = clock.instant();
            boolean single = state.ceilings().singleApprover();
            repository.insertEmergency(tx, Ids.next(), roomId, room.orgId(), single ? PolicyRepository.ACTIVE : PolicyRepository.PENDING,
                    reason, hours, actor.userId(), now, single ? now.plus(Duration.ofHours(hours)) : null);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("reason", reason);
            detail.put("hours", hours);
            detail.put("singleApprover", single);
            return new AuditEvent(room.orgId(), actor.userId(), actor.loginId(),
                    single ? AuditAction.EMERGENCY_APPROVED : AuditAction.EMERGENCY_REQUESTED, "room", Long.toString(roomId), detail);
        });
    }

    /** Another org owner or admin approves a pending emergency; its time limit runs from now. */
    public RoomPolicy approveEmergency(Principal actor, long roomId, Origin origin) {
        return change(actor, roomId, origin, "emergency.approve", (tx, room, state) -> {
            if (!actor.adminOf(room.orgId())) {
                throw KairanException.forbidden("only an org owner or admin approves emergency mode");
            }
            PolicyRepository.EmergencyRow e = repository.openEmergency(tx, roomId, true)
                    .orElseThrow(() -> KairanException.notFound("pending emergency"));
            if (!PolicyRepository.PENDING.equals(e.state())) {
                throw KairanException.conflict("the emergency is already active");
            }
            if (e.requestedBy() == actor.userId()) {
                throw KairanException.forbidden("the requester cannot approve their own emergency");
            }
            Instant now = clock.instant();
            repository.approveEmergency(tx, e.id(), actor.userId(), now, now.plus(Duration.ofHours(e.hours())));
            return new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.EMERGENCY_APPROVED, "room",
                    Long.toString(roomId), Map.of("hours", e.hours(), "requestedBy", Long.toString(e.requestedBy())));
        });
    }

    /** Ends an active emergency early or withdraws a pending one: the requester, or an org owner or admin. */
    public RoomPolicy endEmergency(Principal actor, long roomId, Origin origin) {
        return change(actor, roomId, origin, "emergency.end", (tx, room, state) -> {
            PolicyRepository.EmergencyRow e = repository.openEmergency(tx, roomId, true)
                    .orElseThrow(() -> KairanException.notFound("emergency"));
            if (e.requestedBy() != actor.userId() && !actor.adminOf(room.orgId())) {
                throw KairanException.forbidden("only the requester or an org owner or admin ends emergency mode");
            }
            String kind = PolicyRepository.PENDING.equals(e.state()) ? "withdrawn" : "ended";
            repository.endEmergency(tx, e.id(), actor.userId(), clock.instant(), kind);
            return new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.EMERGENCY_ENDED, "room",
                    Long.toString(roomId), Map.of("how", kind));
        });
    }

    /** Ends the emergencies whose time is up and lapses unapproved requests; returns how many. For the scheduler. */
    public int expireDue() {
        Instant now = clock.instant();
        List<PolicyRepository.EmergencyRow> due = db.call(tx -> repository.due(tx, now, now.minus(PENDING_LIFETIME)));
        int ended = 0;
        for (PolicyRepository.EmergencyRow e : due) {
            boolean done = db.call(tx -> {
                PolicyRepository.EmergencyRow current = repository.openEmergency(tx, e.roomId(), true).orElse(null);
                if (current == null || current.id() != e.id()) {
                    return false;
                }
                String kind = PolicyRepository.PENDING.equals(current.state()) ? "lapsed" : "expired";
                repository.endEmergency(tx, e.id(), null, now, kind);
                audit.record(tx, new AuditEvent(e.orgId(), null, null, AuditAction.EMERGENCY_EXPIRED, "room",
                        Long.toString(e.roomId()), Map.of("how", kind, "hours", e.hours())), new Origin("server", null));
                return true;
            });
            if (done) {
                ended++;
                publish(e.roomId());
            }
        }
        return ended;
    }

    /** After the org's default ceiling changed: tells the members of every room that follows it. */
    public int publishOrgDefault(long orgId) {
        List<Long> roomIds = db.call(tx -> repository.roomsFollowingDefault(tx, orgId));
        for (long roomId : roomIds) {
            publish(roomId);
        }
        return roomIds.size();
    }

    /** The work of one change, inside its transaction: checks, writes, and returns the audit event. */
    private interface Change {
        AuditEvent apply(Tx tx, Membership room, PolicyStore.RoomState state);
    }

    private RoomPolicy change(Principal actor, long roomId, Origin origin, String what, Change change) {
        try {
            db.call(tx -> {
                Membership room = rooms.membership(tx, roomId);
                if (!room.exists() || !actor.inOrg(room.orgId())) {
                    throw KairanException.forbidden("user " + actor.userId() + " may not change room " + roomId);
                }
                PolicyStore.RoomState state = store.state(tx, roomId).orElseThrow();
                audit.record(tx, change.apply(tx, room, state), origin);
                return null;
            });
        } catch (KairanException e) {
            if (e.code() == ErrorCode.FORBIDDEN) {
                denied(actor, roomId, what, origin);
            }
            throw e;
        }
        return publish(roomId);
    }

    private void denied(Principal actor, long roomId, String what, Origin origin) {
        try {
            db.call(tx -> {
                Membership room = rooms.membership(tx, roomId);
                audit.record(tx, new AuditEvent(room.exists() ? room.orgId() : actor.orgId(), actor.userId(), actor.loginId(),
                        AuditAction.POLICY_ACTION_DENIED, "room", Long.toString(roomId), Map.of("action", what)), origin);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("could not record a refused {} on room {}", what, roomId, e);
        }
    }

    /** Drops the cached state and tells the members what the policy is now. */
    private RoomPolicy publish(long roomId) {
        store.invalidateRoom(roomId);
        RoomPolicy policy = db.call(tx -> store.state(tx, roomId).map(s -> PolicyStore.toDto(s, clock.instant())).orElseThrow());
        Membership room = rooms.membership(roomId).join();
        events.toRoom(room, new RoomPolicyChanged(Long.toString(roomId), policy));
        return policy;
    }
}
