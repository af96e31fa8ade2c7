package jp.kairan.server.ceiling;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.PolicyFinding;
import jp.kairan.protocol.api.PolicyCheck;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.access.Principal;
import jp.kairan.server.policy.Classification;
import jp.kairan.server.policy.Classifier;
import jp.kairan.server.policy.Detectors;
import jp.kairan.server.policy.Finding;
import jp.kairan.server.policy.ImportanceClass;
import jp.kairan.server.policy.Verdict;
import jp.kairan.server.room.Membership;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies every message before it is stored (POLICY.md): blocks what is above the room's ceiling — nothing is
 * stored, delivered or logged, the block is audited with a keyed hash — asks the sender to confirm what may be, and
 * records confirmed warnings and class-I messages sent during an emergency once they are stored.
 *
 * <p>Threading. {@link #screen} is called on the caller's thread (a connection's event loop) and classifies there:
 * at once when the room's policy and the org's classifier are cached, else as a task on that caller once the cache
 * has loaded them, never on the {@code kairan-db-n} thread that loaded them. Texts longer than
 * {@value #INLINE_CHARS} characters are classified on the {@code offload} executor instead, so an event loop never
 * stalls. Audit records run in their own transactions on {@code kairan-db-n}. Thread-safe.
 */
public final class Screening {
    private static final Logger log = LoggerFactory.getLogger(Screening.class);
    /** Longer texts are classified off the calling thread. */
    static final int INLINE_CHARS = 2_000;

    /** What the screened text is for; recorded as {@code on} in the audit detail. */
    public enum Use {
        SEND("send"), EDIT("edit");

        private final String wireName;

        Use(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    /** What sending a text needs recorded once it is stored. */
    public record Screened(AuditAction record, List<Finding> findings, String textHash, ImportanceClass ceiling) {
        static final Screened CLEAN = new Screened(null, List.of(), null, null);

        public boolean needsRecord() {
            return record != null;
        }
    }

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final RoomService rooms;
    private final PolicyStore store;
    private final TextHasher hasher;
    private final Executor offload;

    Screening(Database db, Clock clock, AuditService audit, RoomService rooms, PolicyStore store, TextHasher hasher,
              Executor offload) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.rooms = rooms;
        this.store = store;
        this.hasher = hasher;
        this.offload = offload;
    }

    /**
     * Screens a text about to be sent to {@code room} (whose membership the caller checked). Completes with what to
     * record after storing, or fails with {@link ContentRefused} (after auditing a block). Called on {@code caller};
     * never blocks; short texts are classified on {@code caller} (see the class header).
     */
    public CompletableFuture<Screened> screen(Principal sender, Membership room, String text, boolean confirmed,
                                              Use what, Origin origin, Executor caller) {
        record Ready(PolicyStore.RoomState state, Classifier classifier) {
        }
        CompletableFuture<Ready> ready = store.state(room.roomId()).thenCombine(store.classifier(room.orgId()),
                (state, classifier) -> new Ready(
                        state.orElseThrow(() -> KairanException.forbidden("room " + room.roomId() + " is gone")), classifier));
        // Both cached: go on at once on this (the caller's) thread; else hop back to the caller, off kairan-db-n.
        Function<Ready, CompletableFuture<Screened>> classify = r -> {
            CompletableFuture<Classification> classified = text.length() <= INLINE_CHARS
                    ? CompletableFuture.completedFuture(r.classifier().classify(text))
                    : CompletableFuture.supplyAsync(() -> r.classifier().classify(text), offload);
            return classified.thenCompose(c -> decide(sender, room, text, confirmed, what, origin, r.state(), c));
        };
        return ready.isDone() ? ready.thenCompose(classify) : ready.thenComposeAsync(classify, caller);
    }

    private CompletableFuture<Screened> decide(Principal sender, Membership room, String text, boolean confirmed,
                                               Use what, Origin origin, PolicyStore.RoomState state, Classification c) {
        Instant now = clock.instant();
        ImportanceClass ceiling = state.effectiveCeiling(now);
        Classification.Decision d = c.decide(ceiling);
        if (d.verdict() == Verdict.BLOCK) {
            String hash = hasher.hash(text);
            Map<String, Object> detail = detail(room, d.causes(), hash, ceiling, what);
            return db.inTransaction(tx -> {
                audit.record(tx, new AuditEvent(room.orgId(), sender.userId(), sender.loginId(), AuditAction.MESSAGE_BLOCKED,
                        "room", Long.toString(room.roomId()), detail), origin);
                return null;
            }).thenApply(v -> {
                throw new ContentRefused(ErrorCode.CONTENT_BLOCKED, wire(d.causes()));
            });
        }
        if (d.verdict() == Verdict.WARN) {
            if (!confirmed) {
                return CompletableFuture.failedFuture(new ContentRefused(ErrorCode.CONFIRMATION_REQUIRED, wire(d.causes())));
            }
            return CompletableFuture.completedFuture(new Screened(AuditAction.WARNING_CONFIRMED, d.causes(), hasher.hash(text), ceiling));
        }
        if (state.emergencyActive(now) && c.touchesClassI()) {
            List<Finding> classI = c.findings().stream().filter(f -> f.importance() == ImportanceClass.I).toList();
            return CompletableFuture.completedFuture(new Screened(AuditAction.EMERGENCY_CLASS_I_SENT, classI, hasher.hash(text), ceiling));
        }
        return CompletableFuture.completedFuture(Screened.CLEAN);
    }

    /**
     * Records a confirmed warning or an emergency class-I message once it is stored. Runs on its own; a failure is
     * logged (the message is already acknowledged) and never reaches the sender.
     */
    public void recordSent(Screened screened, Principal sender, Membership room, String messageId, Origin origin) {
        if (!screened.needsRecord()) {
            return;
        }
        Map<String, Object> detail = detail(room, screened.findings(), screened.textHash(), screened.ceiling(), Use.SEND);
        detail.put("messageId", messageId);
        db.inTransaction(tx -> {
            audit.record(tx, new AuditEvent(room.orgId(), sender.userId(), sender.loginId(), screened.record(), "room",
                    Long.toString(room.roomId()), detail), origin);
            return null;
        }).exceptionally(e -> {
            log.error("could not record {} for message {} in room {}", screened.record().wireName(), messageId, room.roomId(), e);
            return null;
        });
    }

    /** What sending {@code text} to the room would do; stores, logs and audits nothing. Blocks (HTTP workers). */
    public PolicyCheck check(Principal user, long roomId, String text) {
        if (text == null || text.isEmpty() || text.length() > jp.kairan.protocol.SendMessage.MAX_TEXT_CHARS) {
            throw KairanException.invalidField("text", "1.." + jp.kairan.protocol.SendMessage.MAX_TEXT_CHARS + " characters");
        }
        Membership room = rooms.membership(roomId).join();
        RoomService.requireMember(room, user);
        PolicyStore.RoomState state = store.state(roomId).join()
                .orElseThrow(() -> KairanException.forbidden("room " + roomId + " is gone"));
        Classification c = store.classifier(room.orgId()).join().classify(text);
        Instant now = clock.instant();
        ImportanceClass ceiling = state.effectiveCeiling(now);
        Classification.Decision d = c.decide(ceiling);
        List<PolicyFinding> findings = new ArrayList<>();
        for (Finding f : c.findings()) {
            Verdict v = !f.importance().above(ceiling) ? Verdict.ALLOW
                    : d.verdict() == Verdict.BLOCK && !f.certain() ? Verdict.WARN : f.verdict();
            findings.add(wire(f, v));
        }
        return new PolicyCheck(d.verdict().name().toLowerCase(java.util.Locale.ROOT), d.importance().wireName(),
                ceiling.wireName(), state.emergencyActive(now), findings);
    }

    private static Map<String, Object> detail(Membership room, List<Finding> findings, String hash, ImportanceClass ceiling,
                                              Use what) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("roomId", Long.toString(room.roomId()));
        detail.put("detectors", findings.stream().map(Finding::detector).distinct().toList());
        detail.put("ceiling", ceiling.wireName());
        detail.put("textHash", hash);
        detail.put("on", what.wireName());
        return detail;
    }

    private static List<PolicyFinding> wire(List<Finding> findings) {
        return findings.stream().map(f -> wire(f, f.verdict())).toList();
    }

    static PolicyFinding wire(Finding f, Verdict verdict) {
        return new PolicyFinding(f.detector(), f.importance().wireName(), verdict.name().toLowerCase(java.util.Locale.ROOT),
                f.start(), f.end(), f.excerpt(), Detectors.label(f.detector()), Detectors.labelJa(f.detector()));
    }

    /** For tests: the cached room state's effective ceiling. */
    Optional<ImportanceClass> effectiveCeiling(long roomId) {
        return store.state(roomId).join().map(s -> s.effectiveCeiling(clock.instant()));
    }
}
