package jp.kairan.server.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.Device;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.mail.MailSender;
import jp.kairan.server.org.Fields;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.access.Principal;
import jp.kairan.server.access.Role;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered devices: registration at sign-in, approval and rejection, revocation from every path, the wipe
 * confirmation, and the device state every request checks (see {@code protocol/DEVICES.md}).
 *
 * <p>Who decides on a device: the org's owners and admins, and the head of the device user's department; a
 * device of someone holding an owner-granted role (owner, admin, auditor) only an owner
 * ({@link Principal#mayManage}). Nobody approves their own device, except an owner when no other active owner
 * has an approved device (a sole owner's second device). A user revokes their own devices ("report lost"). Every
 * decision, and every refused attempt to make one, is an audit event.
 *
 * <p>Revocation commits first (device, its refresh families, the audit event), then tells the
 * {@link DeviceEvents} listeners — caches and the gateway — on the calling thread. The cached state
 * ({@link #state}) is dropped at once on this node; other nodes learn it from the bus, and at the latest after
 * {@link #CACHE_TTL}. Last use is kept in memory and written in batches every {@link #FLUSH_INTERVAL}.
 * Thread-safe; methods block unless they say otherwise.
 */
public final class DeviceService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceService.class);
    public static final int MAX_NAME_CHARS = 64;
    public static final int MAX_REASON_CHARS = 500;
    static final int MAX_USER_AGENT_CHARS = 400;
    static final int MAX_LIST = 500;
    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(15);

    /** Ends the sign-in sessions of a device in the caller's transaction; returns the families it ended. */
    @FunctionalInterface
    public interface SessionRevoker {
        List<Long> revokeDevice(Tx tx, long deviceId);
    }

    record Seen(Instant at, String ip) {
    }

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final OrgService orgs;
    private final MailSender mail;
    private final boolean mailEnabled;
    private final SessionRevoker sessions;
    private final DeviceRepository repo = new DeviceRepository();
    private final Cache<Long, Optional<DeviceState>> states;
    private final List<DeviceEvents> listeners = new CopyOnWriteArrayList<>();
    private volatile ConcurrentHashMap<Long, Seen> seen = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    public DeviceService(Database db, Clock clock, AuditService audit, OrgService orgs, MailSender mail, boolean mailEnabled,
                         SessionRevoker sessions) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.orgs = orgs;
        this.mail = mail;
        this.mailEnabled = mailEnabled;
        this.sessions = sessions;
        this.states = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kairan-device-seen");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds a listener told of every revocation on this node. Set at start-up. */
    public void addListener(DeviceEvents listener) {
        listeners.add(listener);
    }

    // ------------------------------------------------------------------ what requests check

    /** The device's current state through the cache; empty when there is no such device. Blocks on a miss. */
    public Optional<DeviceState> state(long deviceId) {
        return states.get(deviceId, id -> db.call(tx -> repo.state(tx, id)));
    }

    /** The device with this key thumbprint, read in the caller's transaction. */
    public Optional<DeviceState> findByJkt(Tx tx, String jkt) {
        return repo.findByJkt(tx, jkt).map(DeviceRepository.DeviceRow::state);
    }

    /** The device, read in the caller's transaction. */
    public Optional<DeviceState> find(Tx tx, long deviceId) {
        return repo.state(tx, deviceId);
    }

    /** Notes that a device was used now from {@code ip}; written later in a batch. Never blocks. */
    public void seen(long deviceId, String ip) {
        seen.put(deviceId, new Seen(clock.instant(), ip == null || ip.length() > 45 ? null : ip));
    }

    // ------------------------------------------------------------------ registration (sign-in)

    /** A device just registered, for the sign-in step that follows. */
    public record Registered(DeviceState state, Device view, boolean bootstrap) {
    }

    /**
     * Registers the key {@code jkt} for {@code user} in the caller's transaction: approved at once for the
     * operator and for an owner of an organization where no active owner has an approved device, so nobody could
     * approve it (bootstrap: the first owner's first device, or a sole owner who lost every device), else pending. Audited. Call {@link #notifyRegistered} after the commit.
     *
     * @throws KairanException {@code invalid_field} (name), {@code device_key_in_use}, {@code device_limit}
     */
    public Registered register(Tx tx, UserProfile user, String rawName, String jkt, String publicJwk, String userAgent,
                               Origin origin) {
        String name = Fields.text("name", rawName, MAX_NAME_CHARS);
        Optional<DeviceRepository.DeviceRow> existing = repo.findByJkt(tx, jkt);
        if (existing.isPresent()) {
            if (existing.get().userId() != user.id()) {
                throw new KairanException(ErrorCode.DEVICE_KEY_IN_USE, "key " + jkt + " belongs to another user");
            }
            throw KairanException.conflict("this key is already registered");
        }
        int max = orgs.maxDevicesPerUser(tx, user.orgId());
        if (repo.countActive(tx, user.id()) >= max) {
            throw new KairanException(ErrorCode.DEVICE_LIMIT, "user " + user.id() + " has " + max + " devices");
        }
        boolean operator = user.principal().isOperator();
        boolean bootstrap = !operator && user.roles().contains(Role.OWNER) && !repo.hasApprovedOwnerDevice(tx, user.orgId(), 0);
        DeviceStatus status = operator || bootstrap ? DeviceStatus.APPROVED : DeviceStatus.PENDING;
        long id = Ids.next();
        Instant now = clock.instant();
        String agent = userAgent == null ? null : userAgent.length() > MAX_USER_AGENT_CHARS
                ? userAgent.substring(0, MAX_USER_AGENT_CHARS) : userAgent;
        repo.insert(tx, id, user.orgId(), user.id(), name, jkt, publicJwk, status, agent, ip(origin), now, status == DeviceStatus.APPROVED);
        audit.record(tx, new AuditEvent(user.orgId(), user.id(), user.loginId(), AuditAction.DEVICE_REGISTERED, "device",
                Long.toString(id), Map.of("name", name, "user", Long.toString(user.id()))), origin);
        if (status == DeviceStatus.APPROVED) {
            audit.record(tx, new AuditEvent(user.orgId(), null, null, AuditAction.DEVICE_APPROVED, "device", Long.toString(id),
                    Map.of("automatic", operator ? "operator" : "bootstrap", "user", Long.toString(user.id()))), origin);
        }
        DeviceRepository.DeviceRow row = repo.find(tx, id).orElseThrow();
        return new Registered(row.state(), view(row, id), bootstrap);
    }

    /** Mails the user that a device was registered in their name (after the commit; never fails the caller). */
    public void notifyRegistered(UserProfile user, Device device) {
        if (!mailEnabled || user.email() == null) {
            return;
        }
        mail.send(user.email(), DeviceMailTemplate.SUBJECT, DeviceMailTemplate.body(device))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.warn("new-device mail for user {} failed: {}", user.id(), error.getClass().getSimpleName());
                    }
                });
    }

    /** The view of one device, read in the caller's transaction. */
    public Device view(Tx tx, long deviceId, Long currentDeviceId) {
        return repo.find(tx, deviceId).map(r -> view(r, currentDeviceId))
                .orElseThrow(() -> KairanException.notFound("device"));
    }

    /** Audits a contact by a revoked or rejected device (sign-in, refresh) in the caller's transaction. */
    public void refused(Tx tx, DeviceState device, String path, Origin origin) {
        audit.record(tx, new AuditEvent(device.orgId(), device.userId(), null, AuditAction.DEVICE_REFUSED, "device",
                Long.toString(device.id()), Map.of("status", device.status().wireName(), "path", path)), origin);
    }

    // ------------------------------------------------------------------ the user's own devices

    /** The user's devices, newest first. */
    public List<Device> mine(Principal actor, Long currentDeviceId) {
        return db.call(tx -> repo.listOfUser(tx, actor.userId()).stream().map(r -> view(r, currentDeviceId)).toList());
    }

    /** "Report lost": the user revokes one of their own devices. */
    public Device revokeOwn(Principal actor, long deviceId, String rawReason, Origin origin, Long currentDeviceId) {
        String reason = Fields.text("reason", rawReason, MAX_REASON_CHARS);
        return change(actor, deviceId, origin, currentDeviceId, (tx, row) -> {
            if (row.userId() != actor.userId()) {
                return null;
            }
            return revokeInTx(tx, actor, row, reason, "self", origin);
        }, "revoke");
    }

    // ------------------------------------------------------------------ approvers

    /** Devices of an org for owners and admins, or of the department for its head. */
    public List<Device> list(Principal actor, long orgId, String status, String departmentId, String userId, String text,
                             Long currentDeviceId) {
        if (!actor.inOrg(orgId)) {
            throw KairanException.forbidden("devices of another organization");
        }
        Long dept = departmentId == null || departmentId.isBlank() ? null : Fields.id(departmentId, "departmentId");
        if (!actor.adminOf(orgId)) {
            if (!actor.roles().contains(Role.DEPT_HEAD) || actor.departmentId() == null) {
                throw KairanException.forbidden("only owners, admins and department heads list devices");
            }
            if (dept != null && !dept.equals(actor.departmentId())) {
                throw KairanException.forbidden("a department head sees the devices of their own department");
            }
            dept = actor.departmentId();
        }
        DeviceStatus st = status == null || status.isBlank() ? null : DeviceStatus.parseFilter(status)
                .orElseThrow(() -> KairanException.invalidField("status", "pending, approved, rejected or revoked"));
        Long user = userId == null || userId.isBlank() ? null : Fields.id(userId, "userId");
        String q = text == null || text.isBlank() ? null : Fields.text("q", text, 100);
        DeviceRepository.Filter filter = new DeviceRepository.Filter(orgId, user, dept, st, q, MAX_LIST);
        return db.call(tx -> repo.list(tx, filter).stream().map(r -> view(r, currentDeviceId)).toList());
    }

    public Device approve(Principal actor, long orgId, long deviceId, Origin origin, Long currentDeviceId) {
        return decide(actor, orgId, deviceId, origin, currentDeviceId, "approve", (tx, row) -> {
            if (row.userId() == actor.userId()
                    && (!actor.ownerOf(orgId) || repo.hasApprovedOwnerDevice(tx, orgId, actor.userId()))) {
                return OWN_DEVICE;
            }
            if (!repo.decide(tx, row.id(), DeviceStatus.APPROVED, actor.userId(), null, clock.instant())) {
                throw KairanException.conflict("the device is " + row.status().wireName() + ", not pending");
            }
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.DEVICE_APPROVED, "device",
                    Long.toString(row.id()), Map.of("user", Long.toString(row.userId()), "by", by(actor, orgId))), origin);
            return new Change(null);
        });
    }

    public Device reject(Principal actor, long orgId, long deviceId, String rawReason, Origin origin, Long currentDeviceId) {
        String reason = Fields.text("reason", rawReason, MAX_REASON_CHARS);
        return decide(actor, orgId, deviceId, origin, currentDeviceId, "reject", (tx, row) -> {
            if (!repo.decide(tx, row.id(), DeviceStatus.REJECTED, actor.userId(), reason, clock.instant())) {
                throw KairanException.conflict("the device is " + row.status().wireName() + ", not pending");
            }
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.DEVICE_REJECTED, "device",
                    Long.toString(row.id()), Map.of("user", Long.toString(row.userId()), "reason", reason,
                            "by", by(actor, orgId))), origin);
            return new Change(null);
        });
    }

    public Device revoke(Principal actor, long orgId, long deviceId, String rawReason, Origin origin, Long currentDeviceId) {
        String reason = Fields.text("reason", rawReason, MAX_REASON_CHARS);
        return decide(actor, orgId, deviceId, origin, currentDeviceId, "revoke",
                (tx, row) -> revokeInTx(tx, actor, row, reason, by(actor, orgId), origin));
    }

    // ------------------------------------------------------------------ the wipe

    /** The revoked device with key {@code jkt} confirms it erased its data; once. */
    public void confirmWipe(String jkt, Origin origin) {
        Long changed = db.call(tx -> {
            DeviceRepository.DeviceRow row = repo.findByJkt(tx, jkt).orElseThrow(() -> KairanException.notFound("device"));
            if (row.status() != DeviceStatus.REVOKED) {
                throw KairanException.conflict("only a revoked device confirms a wipe");
            }
            if (!repo.confirmWipe(tx, row.id(), clock.instant())) {
                throw KairanException.conflict("the wipe was already confirmed");
            }
            audit.record(tx, new AuditEvent(row.orgId(), row.userId(), row.loginId(), AuditAction.DEVICE_WIPE_CONFIRMED,
                    "device", Long.toString(row.id()), Map.of("user", Long.toString(row.userId()))), origin);
            return row.id();
        });
        log.info("device {} confirmed its wipe", changed);
    }

    // ------------------------------------------------------------------ internals

    /** What a change did: the revocation to announce after the commit, if any. */
    private record Change(DeviceRevocation revocation) {
    }

    /** The device belongs to another organization than the one named: it does not exist there. */
    private static final Change NOT_IN_ORG = new Change(null);
    /** The device's user holds an owner-granted role and the actor is not an owner ({@link Principal#mayManage}). */
    private static final Change OWNER_ONLY = new Change(null);
    /** An owner's own device while another owner could approve it, or a non-owner's own device. */
    private static final Change OWN_DEVICE = new Change(null);

    @FunctionalInterface
    private interface Work {
        /** Does the change; returns null when the actor may not make it (audited, then refused). */
        Change apply(Tx tx, DeviceRepository.DeviceRow row);
    }

    private Change revokeInTx(Tx tx, Principal actor, DeviceRepository.DeviceRow row, String reason, String by, Origin origin) {
        if (!repo.revoke(tx, row.id(), actor.userId(), reason, clock.instant())) {
            throw KairanException.conflict("the device is already " + row.status().wireName());
        }
        List<Long> ended = sessions.revokeDevice(tx, row.id());
        audit.record(tx, new AuditEvent(row.orgId(), actor.userId(), actor.loginId(), AuditAction.DEVICE_REVOKED, "device",
                Long.toString(row.id()), Map.of("user", Long.toString(row.userId()), "reason", reason, "by", by,
                        "sessions", ended.size())), origin);
        return new Change(new DeviceRevocation(row.id(), row.userId(), ended));
    }

    /** Approvers' changes: the device must be in {@code orgId}, and the actor an approver for its user. */
    private Device decide(Principal actor, long orgId, long deviceId, Origin origin, Long currentDeviceId, String what, Work work) {
        if (!actor.inOrg(orgId)) {
            denied(actor, orgId, deviceId, what, "other organization", origin);
            throw KairanException.forbidden("devices of another organization");
        }
        return change(actor, deviceId, origin, currentDeviceId, (tx, row) -> {
            if (!java.util.Objects.equals(row.orgId(), orgId)) {
                return NOT_IN_ORG;
            }
            boolean head = actor.roles().contains(Role.DEPT_HEAD) && actor.departmentId() != null
                    && actor.departmentId().equals(row.departmentId());
            if (!actor.adminOf(orgId) && !head) {
                return null;
            }
            if (!actor.mayManage(orgs.users().findById(tx, row.userId()).orElseThrow().roles(), orgId)) {
                return OWNER_ONLY;
            }
            return work.apply(tx, row);
        }, what);
    }

    private Device change(Principal actor, long deviceId, Origin origin, Long currentDeviceId, Work work, String what) {
        record Result(Device view, Change change, boolean exists) {
        }
        Result r = db.call(tx -> {
            Optional<DeviceRepository.DeviceRow> row = repo.find(tx, deviceId);
            if (row.isEmpty()) {
                return new Result(null, null, false);
            }
            Change change = work.apply(tx, row.get());
            if (change == NOT_IN_ORG) {
                return new Result(null, change, true);
            }
            if (change == null || change == OWNER_ONLY || change == OWN_DEVICE) {
                return new Result(null, change, true);
            }
            return new Result(view(tx, deviceId, currentDeviceId), change, true);
        });
        if (r.change() == NOT_IN_ORG) {
            denied(actor, actor.orgId() == null ? 0 : actor.orgId(), deviceId, what, "device of another organization", origin);
            throw KairanException.notFound("device");
        }
        if (r.view() == null) {
            if (r.exists()) {
                String why = r.change() == OWNER_ONLY ? "the device's user holds an owner-granted role: only an owner decides"
                        : r.change() == OWN_DEVICE ? "own device: another owner approves it" : "not an approver of this device";
                denied(actor, actor.orgId() == null ? 0 : actor.orgId(), deviceId, what, why, origin);
                throw KairanException.forbidden("you may not " + what + " this device");
            }
            throw KairanException.notFound("device");
        }
        states.invalidate(deviceId);
        if (r.change().revocation() != null) {
            announce(r.change().revocation());
        }
        return r.view();
    }

    private void announce(DeviceRevocation revocation) {
        for (DeviceEvents l : listeners) {
            try {
                l.deviceRevoked(revocation);
            } catch (RuntimeException e) {
                log.error("a revocation listener failed for device {}", revocation.deviceId(), e);
            }
        }
    }

    private void denied(Principal actor, long orgId, long deviceId, String what, String why, Origin origin) {
        db.call(tx -> {
            audit.record(tx, new AuditEvent(actor.orgId(), actor.userId(), actor.loginId(), AuditAction.DEVICE_ACTION_DENIED,
                    "device", Long.toString(deviceId), Map.of("action", what, "why", why, "org", Long.toString(orgId))), origin);
            return null;
        });
    }

    private static String by(Principal actor, long orgId) {
        if (actor.ownerOf(orgId)) {
            return "owner";
        }
        return actor.adminOf(orgId) ? "admin" : "dept_head";
    }

    private Device view(DeviceRepository.DeviceRow r, Long currentDeviceId) {
        Seen recent = seen.get(r.id());
        Instant lastSeen = r.lastSeenAt();
        String lastIp = r.lastIp();
        if (recent != null && (lastSeen == null || recent.at().isAfter(lastSeen))) {
            lastSeen = recent.at();
            lastIp = recent.ip() == null ? lastIp : recent.ip();
        }
        String wipe = r.status() != DeviceStatus.REVOKED ? "none" : r.wipeConfirmedAt() == null ? "pending" : "confirmed";
        return new Device(Long.toString(r.id()), Long.toString(r.userId()), r.userName(), r.loginId(),
                r.departmentId() == null ? null : Long.toString(r.departmentId()), r.name(), r.status().wireName(),
                r.createdAt(), r.userAgent(), r.firstIp(), lastIp, lastSeen, r.decidedAt(), r.decidedByName(), r.decisionReason(), r.revokedAt(),
                r.revokedByName(), r.revokeReason(), wipe, r.wipeConfirmedAt(),
                currentDeviceId != null && currentDeviceId == r.id());
    }

    private static String ip(Origin origin) {
        return origin == null || origin.ip() == null || origin.ip().length() > 45 ? null : origin.ip();
    }

    /** Writes the last-use times collected since the last flush. */
    void flush() {
        ConcurrentHashMap<Long, Seen> batch = seen;
        if (batch.isEmpty()) {
            return;
        }
        seen = new ConcurrentHashMap<>();
        Map<Long, Seen> copy = new HashMap<>(batch);
        db.call(tx -> {
            repo.touch(tx, copy);
            return null;
        });
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("could not record when devices were last used: {}", e.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        flushQuietly();
    }
}
