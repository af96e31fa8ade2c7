package jp.kairan.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events in the caller's transaction, so that an action and its record commit together.
 * Thread-safe.
 */
public final class AuditService {
    private static final Logger log = LoggerFactory.getLogger("kairan.audit");
    private static final int MAX_DETAIL_CHARS = 2000;

    private final Clock clock;
    private final ObjectMapper json;
    private final AuditRepository events = new AuditRepository();
    private final AuditChainRepository chains = new AuditChainRepository();

    public AuditService(Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    /** The entity classes of this feature, for the session factory. */
    public static List<Class<?>> entityClasses() {
        return List.of(AuditEventEntity.class);
    }

    /**
     * Records {@code event} as coming from {@code origin}, in {@code tx}: locks the head of the event's chain until
     * {@code tx} ends, links and hashes the event, stores it and moves the head.
     */
    public void record(Tx tx, AuditEvent event, Origin origin) {
        String detail = detail(event);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long chainKey = AuditChain.chainKey(event.orgId());
        AuditChain.Link link = chains.lockHead(tx, chainKey, now);
        AuditChain.Row e = new AuditChain.Row(Ids.next(), chainKey, link.chainSeq(), now, event.orgId(), event.actorId(),
                event.actorLogin(), event.action().wireName(), event.targetType(), event.targetId(), origin.ip(),
                origin.requestId(), detail, link.prevHash());
        String hash = AuditChain.hash(e);
        events.insert(tx, e, hash);
        chains.advanceHead(tx, chainKey, e.chainSeq(), hash, now);
        log.info("audit action={} org={} actor={} target={}:{} ip={} requestId={}", e.action(), e.orgId(), e.actorId(),
                e.targetType(), e.targetId(), e.ip(), e.requestId());
    }

    /** The newest events of an organization (null: server-wide ones), newest first; for tests and the audit view. */
    public List<AuditRecord> recent(Tx tx, Long orgId, int limit) {
        return events.recent(tx, orgId, limit);
    }

    private String detail(AuditEvent event) {
        if (event.detail().isEmpty()) {
            return null;
        }
        try {
            String text = json.writeValueAsString(event.detail());
            return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serializable", e);
        }
    }
}
