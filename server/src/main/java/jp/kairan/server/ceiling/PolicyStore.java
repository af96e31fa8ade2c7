package jp.kairan.server.ceiling;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import jp.kairan.protocol.api.Emergency;
import jp.kairan.protocol.api.RoomPolicy;
import jp.kairan.server.policy.Classifier;
import jp.kairan.server.policy.ImportanceClass;
import jp.kairan.server.policy.Terms;
import jp.kairan.server.room.RoomPolicyView;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;

/**
 * What the send path reads on every message, cached: each room's ceilings and emergency, and each organization's
 * classifier (built-in dictionaries plus its own terms). Changes invalidate the entries after they commit. An
 * emergency ends at {@code endsAt} even before the expiry job records it, because the effective ceiling is
 * computed against the clock on every read. Thread-safe.
 */
public final class PolicyStore implements RoomPolicyView {
    /** A room's policy facts as cached. */
    record RoomState(PolicyRepository.Ceilings ceilings, PolicyRepository.EmergencyRow emergency) {
        boolean emergencyActive(Instant now) {
            return emergency != null && emergency.activeAt(now);
        }

        ImportanceClass effectiveCeiling(Instant now) {
            return emergencyActive(now) ? ImportanceClass.I : ceilings.ceiling();
        }
    }

    private final Database db;
    private final Clock clock;
    private final PolicyRepository repository;
    private final AsyncLoadingCache<Long, Optional<RoomState>> rooms;
    private final AsyncLoadingCache<Long, Classifier> classifiers;

    PolicyStore(Database db, Clock clock, PolicyRepository repository) {
        this.db = db;
        this.clock = clock;
        this.repository = repository;
        // Written entries expire after 30 s, so that a change made on another node (until the cluster bus carries
        // invalidations) takes effect within that time; a change on this node invalidates at once.
        this.rooms = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(30))
                .buildAsync((roomId, executor) -> db.inTransaction(tx -> load(tx, roomId)));
        this.classifiers = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(Duration.ofMinutes(1))
                .buildAsync((orgId, executor) -> db.inTransaction(tx -> classifierOf(tx, orgId)));
    }

    /** The cached state of a room; empty when the room does not exist. Never blocks. */
    CompletableFuture<Optional<RoomState>> state(long roomId) {
        return rooms.get(roomId);
    }

    /** The state as of this transaction (uncached). */
    Optional<RoomState> state(Tx tx, long roomId) {
        return load(tx, roomId);
    }

    /** The organization's classifier; completes at once when cached. Never blocks. */
    CompletableFuture<Classifier> classifier(long orgId) {
        return classifiers.get(orgId);
    }

    Classifier classifierOf(Tx tx, long orgId) {
        return new Classifier(Terms.builtIn().withOrgTerms(repository.terms(tx, orgId)));
    }

    void invalidateRoom(long roomId) {
        rooms.synchronous().invalidate(roomId);
    }

    /** After an org-wide change (default ceiling, emergency settings): every room of every org, which is rare. */
    void invalidateRooms() {
        rooms.synchronous().invalidateAll();
    }

    void invalidateClassifier(long orgId) {
        classifiers.synchronous().invalidate(orgId);
    }

    @Override
    public RoomPolicy policy(Tx tx, long roomId) {
        return load(tx, roomId).map(s -> toDto(s, clock.instant())).orElse(null);
    }

    private Optional<RoomState> load(Tx tx, long roomId) {
        return repository.ceilings(tx, roomId)
                .map(c -> new RoomState(c, repository.openEmergency(tx, roomId, false).orElse(null)));
    }

    static RoomPolicy toDto(RoomState s, Instant now) {
        PolicyRepository.Ceilings c = s.ceilings();
        PolicyRepository.EmergencyRow e = s.emergency();
        Emergency emergency = null;
        if (e != null && (PolicyRepository.PENDING.equals(e.state()) || e.activeAt(now))) {
            emergency = new Emergency(e.state(), e.reason(), e.hours(), Long.toString(e.requestedBy()), e.requestedByName(),
                    e.requestedAt(), e.approvedBy() == null ? null : Long.toString(e.approvedBy()), e.approvedByName(),
                    e.approvedAt(), e.endsAt());
        }
        return new RoomPolicy(c.ceiling().wireName(), c.own() == null ? null : c.own().wireName(),
                c.orgDefault().wireName(), s.effectiveCeiling(now).wireName(), emergency);
    }
}
