package jp.kairan.server.audit;

import java.time.Instant;

/**
 * A stored audit event.
 *
 * @param id         event id (time-ordered)
 * @param orgId      organization, null for server-wide events
 * @param occurredAt when
 * @param actorId    acting user, may be null
 * @param actorLogin login ID used, may be null
 * @param action     wire name of the action
 * @param targetType kind of target, may be null
 * @param targetId   target id, may be null
 * @param ip         client address
 * @param requestId  request id
 * @param detail     JSON text of extra facts, may be null
 */
public record AuditRecord(long id, Long orgId, Instant occurredAt, Long actorId, String actorLogin, String action,
                          String targetType, String targetId, String ip, String requestId, String detail) {
}
