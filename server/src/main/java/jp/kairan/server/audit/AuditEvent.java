package jp.kairan.server.audit;

import java.util.Map;

/**
 * One security-relevant action, as recorded. Never carries secrets or message text.
 *
 * @param orgId      organization concerned, null for server-wide actions
 * @param actorId    user who acted, null when unknown (e.g. a failed sign-in with an unknown ID)
 * @param actorLogin login ID used, as typed (normalized), may be null
 * @param action     what happened
 * @param targetType kind of object acted on ({@code user}, {@code org}, …), may be null
 * @param targetId   its id, may be null
 * @param detail     small extra facts (counts, reasons, role lists); must not contain secrets
 */
public record AuditEvent(Long orgId, Long actorId, String actorLogin, AuditAction action, String targetType,
                         String targetId, Map<String, ?> detail) {

    public AuditEvent {
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }
}
