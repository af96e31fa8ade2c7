package jp.kairan.server.ceiling;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.room.RoomEvents;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the classification policy: the cached store, the send-path screening, room ceilings and emergencies, the
 * org dictionaries, and the job that ends emergencies on time. {@link #start()} once (loads or creates the hash
 * key), {@link #close()} once.
 */
public final class Policies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Policies.class);
    static final String HASH_KEY = "policy.hash-key";
    /** How often the expiry job looks for emergencies whose time is up. */
    static final long EXPIRY_PERIOD_SECONDS = 15;

    private final Database db;
    private final Clock clock;
    private final PolicyRepository repository = new PolicyRepository();
    private final PolicyStore store;
    private final Screening screening;
    private final RoomPolicies rooms;
    private final OrgTerms terms;
    private final ScheduledExecutorService scheduler;

    public Policies(Database db, Clock clock, AuditService audit, RoomService roomService, RoomEvents events) {
        this.db = db;
        this.clock = clock;
        this.store = new PolicyStore(db, clock, repository);
        TextHasher hasher = new TextHasher(loadOrCreateKey());
        this.screening = new Screening(db, clock, audit, roomService, store, hasher, java.util.concurrent.ForkJoinPool.commonPool());
        this.rooms = new RoomPolicies(db, clock, audit, roomService, events, store, repository);
        this.terms = new OrgTerms(db, clock, audit, store, repository);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kairan-policy-expiry");
            t.setDaemon(true);
            return t;
        });
        roomService.usePolicies(store);
        // Load Kuromoji's dictionaries now rather than on an event loop at the first message that needs them.
        jp.kairan.server.policy.Classifier.defaults().classify("山田太郎さんの生活保護の件");
    }

    /** Starts the expiry job. */
    public void start() {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int n = rooms.expireDue();
                if (n > 0) {
                    log.info("ended {} emergencies whose time was up", n);
                }
            } catch (RuntimeException e) {
                log.warn("emergency expiry failed; will retry", e);
            }
        }, EXPIRY_PERIOD_SECONDS, EXPIRY_PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    public Screening screening() {
        return screening;
    }

    public RoomPolicies rooms() {
        return rooms;
    }

    public OrgTerms terms() {
        return terms;
    }

    /**
     * After the org's default ceiling or emergency settings changed: drops the cached room states and, in the
     * background, pushes {@code room.policy} to the rooms that follow the default.
     */
    public void orgPolicyChanged(long orgId) {
        store.invalidateRooms();
        scheduler.execute(() -> {
            try {
                rooms.publishOrgDefault(orgId);
            } catch (RuntimeException e) {
                log.warn("could not tell the rooms of org {} about its new default ceiling", orgId, e);
            }
        });
    }

    private byte[] loadOrCreateKey() {
        try {
            return db.call(tx -> repository.secret(tx, HASH_KEY).orElseGet(() -> {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                repository.insertSecret(tx, HASH_KEY, key, clock.instant());
                log.info("created the key that hashes blocked texts for the audit trail");
                return key;
            }));
        } catch (RuntimeException e) {
            // Another node created it at the same moment: use theirs.
            return db.call(tx -> repository.secret(tx, HASH_KEY)).orElseThrow(() -> e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
