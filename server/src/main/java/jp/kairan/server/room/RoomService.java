package jp.kairan.server.room;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.MemberJoined;
import jp.kairan.protocol.MemberLeft;
import jp.kairan.protocol.RoomUpdated;
import jp.kairan.protocol.api.AddMembersRequest;
import jp.kairan.protocol.api.CreateRoomRequest;
import jp.kairan.protocol.api.DirectRoomRequest;
import jp.kairan.protocol.api.RoomDetail;
import jp.kairan.protocol.api.RoomMember;
import jp.kairan.protocol.api.RoomSummary;
import jp.kairan.protocol.api.UpdateMemberRequest;
import jp.kairan.protocol.api.UpdateRoomRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.org.Fields;
import jp.kairan.server.access.Principal;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import jp.kairan.server.text.UnicodeRules;

/**
 * Rooms of an organization: group rooms and direct talks, their members and member roles, and who may read
 * what. Only users of the room's organization can be members. Membership is cached for the gateway, which
 * checks it on every frame; every change invalidates the cache after its transaction commits, then pushes
 * {@code member.joined}, {@code member.left} or {@code room.updated}. Thread-safe; methods without a
 * {@code Tx} block and are for HTTP worker threads.
 */
public final class RoomService {
    public static final int MAX_NAME_CHARS = 100;
    public static final int MAX_MEMBERS = 1000;

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final RoomEvents events;
    private final RoomRepository repository = new RoomRepository();
    private final AsyncLoadingCache<Long, Membership> memberships;
    private volatile RoomPolicyView policies = RoomPolicyView.NONE;

    public RoomService(Database db, Clock clock, AuditService audit, RoomEvents events) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.events = events;
        this.memberships = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(30))
                .buildAsync((roomId, executor) -> db.inTransaction(tx -> repository.membership(tx, roomId)));
    }

    /** Where room details get their ceiling and emergency mode; set once while wiring the server. */
    public void usePolicies(RoomPolicyView view) {
        this.policies = view;
    }

    /** The cached membership of a room; completes at once when cached. Never blocks. */
    public CompletableFuture<Membership> membership(long roomId) {
        return memberships.get(roomId);
    }

    /** The membership of a room as of this transaction (uncached). */
    public Membership membership(Tx tx, long roomId) {
        return repository.membership(tx, roomId);
    }

    /** Fails with {@code forbidden} unless {@code user} is a member; a missing room is refused the same way. */
    public static void requireMember(Membership room, Principal user) {
        if (!room.exists() || !room.isMember(user.userId()) || !user.inOrg(room.orgId())) {
            throw new KairanException(ErrorCode.FORBIDDEN, "user " + user.userId() + " is not a member of room " + room.roomId());
        }
    }

    /**
     * Checks that {@code reader} may read the room: members may; an owner of the room's organization may,
     * read-only, and each such read is an audit event. Everyone else gets {@code forbidden}.
     *
     * @return whether the reader is a member (false: an owner reading)
     */
    public boolean requireReader(Tx tx, Membership room, Principal reader, String what, Origin origin) {
        if (room.exists() && room.isMember(reader.userId()) && reader.inOrg(room.orgId())) {
            return true;
        }
        if (room.exists() && reader.ownerOf(room.orgId())) {
            audit.record(tx, new AuditEvent(room.orgId(), reader.userId(), reader.loginId(),
                    AuditAction.ROOM_READ_BY_OWNER, "room", Long.toString(room.roomId()), Map.of("read", what)), origin);
            return false;
        }
        throw new KairanException(ErrorCode.FORBIDDEN, "user " + reader.userId() + " may not read room " + room.roomId());
    }

    /** Creates a group room; the creator becomes its owner. */
    public RoomDetail create(Principal actor, CreateRoomRequest req, Origin origin) {
        long orgId = requireOrgUser(actor);
        String name = name(req.name());
        Set<Long> invited = ids(req.memberIds(), "memberIds");
        invited.remove(actor.userId());
        if (invited.size() + 1 > MAX_MEMBERS) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "at most " + MAX_MEMBERS + " members", "memberIds");
        }
        long roomId = Ids.next();
        RoomDetail detail = db.call(tx -> {
            Map<Long, String> found = repository.activeUsers(tx, orgId, invited);
            if (found.size() != invited.size()) {
                throw new KairanException(ErrorCode.INVALID_FIELD, "memberIds must be active users of the organization", "memberIds");
            }
            Instant now = clock.instant();
            repository.insertRoom(tx, roomId, orgId, RoomRepository.GROUP, name, null, actor.userId(), now);
            Map<Long, RoomRole> members = new LinkedHashMap<>();
            members.put(actor.userId(), RoomRole.OWNER);
            invited.forEach(id -> members.put(id, RoomRole.MEMBER));
            repository.insertMembers(tx, roomId, members, now);
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.ROOM_CREATED, "room",
                    Long.toString(roomId), Map.of("members", members.size())), origin);
            return detail(tx, roomId, actor.userId(), true);
        });
        announceJoins(detail, detail.members().stream().map(m -> Long.parseLong(m.userId())).toList(), actor.userId());
        return detail;
    }

    /** Opens the direct talk between the caller and another user of the organization, creating it once. */
    public RoomDetail openDirect(Principal actor, DirectRoomRequest req, Origin origin) {
        long orgId = requireOrgUser(actor);
        long peer = Fields.id(req.userId(), "userId");
        if (peer == actor.userId()) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "a direct talk needs another user", "userId");
        }
        String key = Math.min(peer, actor.userId()) + ":" + Math.max(peer, actor.userId());
        record Opened(RoomDetail detail, boolean created) {
        }
        Opened opened;
        try {
            opened = db.call(tx -> {
                var existing = repository.findDirect(tx, key);
                if (existing.isPresent()) {
                    return new Opened(detail(tx, existing.get(), actor.userId(), true), false);
                }
                if (repository.activeUsers(tx, orgId, List.of(peer)).isEmpty()) {
                    throw new KairanException(ErrorCode.INVALID_FIELD, "userId must be an active user of the organization", "userId");
                }
                long roomId = Ids.next();
                Instant now = clock.instant();
                repository.insertRoom(tx, roomId, orgId, RoomRepository.DIRECT, null, key, actor.userId(), now);
                Map<Long, RoomRole> members = new LinkedHashMap<>();
                members.put(actor.userId(), RoomRole.MEMBER);
                members.put(peer, RoomRole.MEMBER);
                repository.insertMembers(tx, roomId, members, now);
                audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.ROOM_CREATED,
                        "room", Long.toString(roomId), Map.of("kind", "direct")), origin);
                return new Opened(detail(tx, roomId, actor.userId(), true), true);
            });
        } catch (RuntimeException e) {
            // Both people opened the talk at once: the other transaction won the unique key; read theirs.
            Long winner = db.call(tx -> repository.findDirect(tx, key).orElse(null));
            if (winner == null) {
                throw e;
            }
            return db.call(tx -> detail(tx, winner, actor.userId(), true));
        }
        if (opened.created()) {
            announceJoins(opened.detail(), List.of(peer), actor.userId());
        }
        return opened.detail();
    }

    /** A room with its members, for members and (read-only, audited) the organization's owners. */
    public RoomDetail get(Principal actor, long roomId, Origin origin) {
        return db.call(tx -> {
            Membership room = repository.membership(tx, roomId);
            boolean member = requireReader(tx, room, actor, "members", origin);
            return detail(tx, roomId, actor.userId(), member);
        });
    }

    /** Renames, archives or restores a group room (room owners and admins). */
    public RoomDetail update(Principal actor, long roomId, UpdateRoomRequest req, Origin origin) {
        String name = req.name() == null ? null : name(req.name());
        RoomDetail detail = db.call(tx -> {
            repository.lock(tx, roomId);
            Membership room = repository.membership(tx, roomId);
            requireMember(room, actor);
            if (room.direct()) {
                throw new KairanException(ErrorCode.CONFLICT, "direct talks have no name and cannot be archived");
            }
            requireManager(room, actor);
            if (room.archived() && name != null && !Boolean.FALSE.equals(req.archived())) {
                throw new KairanException(ErrorCode.ROOM_ARCHIVED, "room " + roomId + " is archived");
            }
            String id = Long.toString(roomId);
            if (name != null) {
                repository.rename(tx, roomId, name);
                audit.record(tx, new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.ROOM_RENAMED,
                        "room", id, Map.of()), origin);
            }
            if (req.archived() != null && req.archived() != room.archived()) {
                repository.setArchived(tx, roomId, req.archived() ? clock.instant() : null);
                audit.record(tx, new AuditEvent(room.orgId(), actor.userId(), actor.loginId(),
                        req.archived() ? AuditAction.ROOM_ARCHIVED : AuditAction.ROOM_RESTORED, "room", id, Map.of()), origin);
            }
            return detail(tx, roomId, actor.userId(), true);
        });
        Membership after = invalidate(roomId);
        events.toRoom(after, new RoomUpdated(detail.id(), detail.name(), detail.archived(), Long.toString(actor.userId())));
        return detail;
    }

    /** Adds users of the organization to a group room (room owners and admins); members already in are skipped. */
    public RoomDetail addMembers(Principal actor, long roomId, AddMembersRequest req, Origin origin) {
        Set<Long> wanted = ids(req.userIds(), "userIds");
        if (wanted.isEmpty()) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "userIds must not be empty", "userIds");
        }
        List<Long> added = new ArrayList<>();
        RoomDetail detail = db.call(tx -> {
            repository.lock(tx, roomId);
            Membership room = repository.membership(tx, roomId);
            requireMember(room, actor);
            requireOpenGroup(room);
            requireManager(room, actor);
            wanted.removeAll(room.memberIds());
            if (room.memberIds().size() + wanted.size() > MAX_MEMBERS) {
                throw new KairanException(ErrorCode.INVALID_FIELD, "at most " + MAX_MEMBERS + " members", "userIds");
            }
            Map<Long, String> found = repository.activeUsers(tx, room.orgId(), wanted);
            if (found.size() != wanted.size()) {
                throw new KairanException(ErrorCode.INVALID_FIELD, "userIds must be active users of the organization", "userIds");
            }
            Map<Long, RoomRole> members = new LinkedHashMap<>();
            wanted.forEach(id -> members.put(id, RoomRole.MEMBER));
            if (!members.isEmpty()) {
                repository.insertMembers(tx, roomId, members, clock.instant());
                audit.record(tx, new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.ROOM_MEMBERS_ADDED,
                        "room", Long.toString(roomId), Map.of("userIds", members.keySet().stream().map(String::valueOf).toList())), origin);
            }
            added.addAll(members.keySet());
            return detail(tx, roomId, actor.userId(), true);
        });
        announceJoins(detail, added, actor.userId());
        return detail;
    }

    /** Sets a member's room role (room owners); the last owner cannot step down. */
    public RoomDetail setRole(Principal actor, long roomId, long userId, UpdateMemberRequest req, Origin origin) {
        RoomRole role = RoomRole.parse(req.role())
                .orElseThrow(() -> new KairanException(ErrorCode.INVALID_FIELD, "role must be owner, admin or member", "role"));
        RoomDetail detail = db.call(tx -> {
            repository.lock(tx, roomId);
            Membership room = repository.membership(tx, roomId);
            requireMember(room, actor);
            if (room.members().get(actor.userId()) != RoomRole.OWNER) {
                throw new KairanException(ErrorCode.FORBIDDEN, "only room owners set roles");
            }
            requireOpenGroup(room);
            RoomRole current = room.members().get(userId);
            if (current == null) {
                throw new KairanException(ErrorCode.NOT_FOUND, "user " + userId + " is not a member");
            }
            if (current == RoomRole.OWNER && role != RoomRole.OWNER && owners(room) == 1) {
                throw new KairanException(ErrorCode.CONFLICT, "a room needs an owner; make someone else owner first");
            }
            repository.setRole(tx, roomId, userId, role);
            audit.record(tx, new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.ROOM_MEMBER_ROLE_CHANGED,
                    "room", Long.toString(roomId), Map.of("userId", Long.toString(userId), "role", role.wireName())), origin);
            return detail(tx, roomId, actor.userId(), true);
        });
        Membership after = invalidate(roomId);
        RoomMember changed = detail.members().stream().filter(m -> m.userId().equals(Long.toString(userId))).findFirst().orElseThrow();
        events.toRoom(after, new MemberJoined(detail.id(), changed.userId(), changed.displayName(), changed.role(),
                Long.toString(actor.userId())));
        return detail;
    }

    /**
     * Removes a member from a group room, or lets the caller leave. Owners remove anyone, admins remove
     * members; the last owner cannot leave while others remain.
     */
    public void removeMember(Principal actor, long roomId, long userId, Origin origin) {
        Membership before = db.call(tx -> {
            repository.lock(tx, roomId);
            Membership room = repository.membership(tx, roomId);
            requireMember(room, actor);
            if (room.direct()) {
                throw new KairanException(ErrorCode.CONFLICT, "nobody leaves a direct talk");
            }
            RoomRole target = room.members().get(userId);
            if (target == null) {
                throw new KairanException(ErrorCode.NOT_FOUND, "user " + userId + " is not a member");
            }
            boolean self = userId == actor.userId();
            RoomRole mine = room.members().get(actor.userId());
            if (!self && (!mine.manages() || (target == RoomRole.OWNER && mine != RoomRole.OWNER))) {
                throw new KairanException(ErrorCode.FORBIDDEN, "may not remove user " + userId);
            }
            if (target == RoomRole.OWNER && owners(room) == 1 && room.memberIds().size() > 1) {
                throw new KairanException(ErrorCode.CONFLICT, "a room needs an owner; make someone else owner first");
            }
            repository.removeMember(tx, roomId, userId);
            audit.record(tx, new AuditEvent(room.orgId(), actor.userId(), actor.loginId(), AuditAction.ROOM_MEMBER_REMOVED,
                    "room", Long.toString(roomId), Map.of("userId", Long.toString(userId), "left", self)), origin);
            return room;
        });
        invalidate(roomId);
        // To the members before the change, so the one who left hears it too.
        events.toRoom(before, new MemberLeft(Long.toString(roomId), Long.toString(userId), Long.toString(actor.userId())));
    }

    /**
     * Every room of the organization, for its owners to find the one they must read (names and sizes only; opening
     * one is audited). Everyone else gets {@code forbidden}.
     */
    public List<RoomSummary> orgRooms(Principal actor, long orgId) {
        if (!actor.ownerOf(orgId)) {
            throw new KairanException(ErrorCode.FORBIDDEN, "only the organization's owners list all its rooms");
        }
        return db.call(tx -> {
            Map<Long, List<String>> directNames = repository.directMemberNames(tx, orgId);
            return repository.roomsOfOrg(tx, orgId).stream().map(r -> new RoomSummary(Long.toString(r.room().id()),
                    r.room().kind(), r.room().direct() ? String.join(" / ", directNames.getOrDefault(r.room().id(), List.of()))
                    : r.room().name(), r.room().archivedAt() != null, null, r.memberCount(), r.room().lastSeq(), 0, 0, 0,
                    null, null)).toList();
        });
    }

    /** The rooms of a user with their positions, for the room list. */
    public List<RoomListing> roomsOf(Tx tx, long userId) {
        Map<Long, Map.Entry<Long, String>> peers = repository.directPeers(tx, userId);
        return repository.roomsOf(tx, userId).stream().map(r -> {
            Map.Entry<Long, String> peer = r.room().direct() ? peers.get(r.room().id()) : null;
            return new RoomListing(r.room().id(), r.room().direct(), peer == null ? r.room().name() : peer.getValue(),
                    peer == null ? null : peer.getKey(), r.room().archivedAt() != null, r.room().lastSeq(), r.myRole(),
                    r.readSeq(), r.memberCount());
        }).toList();
    }

    /** Builds the room as {@code viewerId} sees it. */
    public RoomDetail detail(Tx tx, long roomId, long viewerId, boolean member) {
        RoomRepository.RoomRow room = repository.find(tx, roomId)
                .orElseThrow(() -> new KairanException(ErrorCode.FORBIDDEN, "room " + roomId + " does not exist"));
        List<RoomRepository.MemberRow> rows = repository.members(tx, roomId);
        List<RoomMember> members = rows.stream().map(m -> new RoomMember(Long.toString(m.userId()), m.displayName(),
                m.role().wireName(), m.readSeq(), m.readAt(), m.joinedAt())).toList();
        String myRole = rows.stream().filter(m -> m.userId() == viewerId).map(m -> m.role().wireName()).findFirst().orElse(null);
        return new RoomDetail(Long.toString(room.id()), Long.toString(room.orgId()), room.kind(),
                displayName(room, rows, viewerId), room.archivedAt() != null, room.createdAt(), member ? myRole : null,
                !member || room.archivedAt() != null, room.lastSeq(), members, policies.policy(tx, roomId));
    }

    /** A direct talk is named after the other person; seen from outside, after both. */
    static String displayName(RoomRepository.RoomRow room, List<RoomRepository.MemberRow> members, long viewerId) {
        if (!room.direct()) {
            return room.name();
        }
        List<String> others = members.stream().filter(m -> m.userId() != viewerId).map(RoomRepository.MemberRow::displayName).toList();
        return others.isEmpty() ? "" : String.join(" / ", others);
    }

    private Membership invalidate(long roomId) {
        memberships.synchronous().invalidate(roomId);
        return memberships.get(roomId).join();
    }

    private void announceJoins(RoomDetail detail, List<Long> joined, long by) {
        if (joined.isEmpty()) {
            return;
        }
        Membership after = invalidate(Long.parseLong(detail.id()));
        for (long userId : joined) {
            RoomMember m = detail.members().stream().filter(x -> x.userId().equals(Long.toString(userId))).findFirst().orElseThrow();
            events.toRoom(after, new MemberJoined(detail.id(), m.userId(), m.displayName(), m.role(), Long.toString(by)));
        }
    }

    private static long requireOrgUser(Principal actor) {
        if (actor.orgId() == null) {
            throw new KairanException(ErrorCode.FORBIDDEN, "the operator takes no part in talks");
        }
        return actor.orgId();
    }

    private static void requireManager(Membership room, Principal actor) {
        requireMember(room, actor);
        if (!room.members().get(actor.userId()).manages()) {
            throw new KairanException(ErrorCode.FORBIDDEN, "only room owners and admins may do this");
        }
    }

    private static void requireOpenGroup(Membership room) {
        if (room.direct()) {
            throw new KairanException(ErrorCode.CONFLICT, "a direct talk has exactly two members");
        }
        if (room.archived()) {
            throw new KairanException(ErrorCode.ROOM_ARCHIVED, "room " + room.roomId() + " is archived");
        }
    }

    private static long owners(Membership room) {
        return room.members().values().stream().filter(r -> r == RoomRole.OWNER).count();
    }

    private static String name(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "name must be 1.." + MAX_NAME_CHARS + " characters", "name");
        }
        String bad = UnicodeRules.forbiddenInName(name);
        if (bad != null) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "name: no control, format, bidi or zero-width characters (found " + bad + ")", "name");
        }
        return name;
    }

    private static Set<Long> ids(List<String> raw, String field) {
        Set<Long> ids = new LinkedHashSet<>();
        if (raw != null) {
            for (String s : raw) {
                ids.add(Fields.id(s, field));
            }
        }
        return ids;
    }
}
