package jp.kairan.server.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "audit_events")
class AuditEventEntity {
    @Id
    long id;
    @Column(name = "org_id")
    Long orgId;
    @Column(name = "occurred_at")
    Instant occurredAt;
    @Column(name = "actor_id")
    Long actorId;
    @Column(name = "actor_login")
    String actorLogin;
    String action;
    @Column(name = "target_type")
    String targetType;
    @Column(name = "target_id")
    String targetId;
    String ip;
    @Column(name = "request_id")
    String requestId;
    String detail;
    @Column(name = "chain_key")
    Long chainKey;
    @Column(name = "chain_seq")
    Long chainSeq;
    @Column(name = "prev_hash")
    String prevHash;
    String hash;
}
