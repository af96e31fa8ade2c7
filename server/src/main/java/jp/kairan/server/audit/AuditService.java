package jp.kairan.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
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

    public AuditService(Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    /** The entity classes of this feature, for the session factory. */
    public static List<Class<?>> entityClasses() {
        return List.of(AuditEventEntity.class);
    }

    /** Records {@code event} as coming from {@code origin}, in {@code tx}. */
    public void record(Tx tx, AuditEvent event, Origin origin) {
        AuditEventEntity e = new AuditEventEntity();
        e.id = Ids.next();
        e.orgId = event.orgId();
        e.occurredAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        e.actorId = event.actorId();
        e.actorLogin = event.actorLogin();
        e.action = event.action().wireName();
        e.targetType = event.targetType();
        e.targetId = event.targetId();
        e.ip = origin.ip();
        e.requestId = origin.requestId();
        e.detail = detail(event);
        long chainKey = AuditChain.chainKey(e.orgId);
        AuditChain.Link link = AuditChain.next(tx, chainKey, e.occurredAt);
        e.chainKey = chainKey;
        e.chainSeq = link.chainSeq();
        e.prevHash = link.prevHash();
        e.hash = AuditChain.hash(new AuditChain.Row(e.id, chainKey, e.chainSeq, e.occurredAt, e.orgId, e.actorId, e.actorLogin,
                e.action, e.targetType, e.targetId, e.ip, e.requestId, e.detail, e.prevHash));
        tx.session().persist(e);
        AuditChain.advance(tx, chainKey, e.chainSeq, e.hash, e.occurredAt);
        log.info("audit action={} org={} actor={} target={}:{} ip={} requestId={}", e.action, e.orgId, e.actorId,
                e.targetType, e.targetId, e.ip, e.requestId);
    }

    /** The newest events of an organization (null: server-wide ones), newest first; for tests and the audit view. */
    public List<AuditRecord> recent(Tx tx, Long orgId, int limit) {
        String where = orgId == null ? "e.orgId is null" : "e.orgId = :org";
        var q = tx.session().createSelectionQuery("from AuditEventEntity e where " + where + " order by e.id desc",
                AuditEventEntity.class).setMaxResults(limit);
        if (orgId != null) {
            q.setParameter("org", orgId);
        }
        return q.getResultList().stream()
                .map(e -> new AuditRecord(e.id, e.orgId, e.occurredAt, e.actorId, e.actorLogin, e.action,
                        e.targetType, e.targetId, e.ip, e.requestId, e.detail))
                .toList();
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
