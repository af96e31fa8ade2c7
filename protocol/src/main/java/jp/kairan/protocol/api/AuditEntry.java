package jp.kairan.protocol.api;

import java.time.Instant;
import java.util.Map;

/**
 * One audit event as the audit view and the CSV export show it (HTTP-API.md "Audit log"). Never carries secrets or
 * message text: the server records none.
 *
 * @param id         event id
 * @param chainSeq   the event's place in its organization's hash chain (1, 2, …); the paging cursor
 * @param occurredAt when
 * @param actorId    acting user, or null (e.g. a failed sign-in with an unknown login ID)
 * @param actorLogin login ID used, as typed at the time (normalized), or null
 * @param actorName  the acting user's current display name, or null when unknown
 * @param action     stable wire name, e.g. {@code auth.login.failed}
 * @param targetType kind of object acted on ({@code user}, {@code room}, …), or null
 * @param targetId   its id, or null
 * @param ip         client address as the server saw it, or null
 * @param requestId  the request's {@code X-Request-Id}, or null
 * @param detail     small extra facts as recorded (a JSON object), or null; {@code {"raw": text}} if the stored
 *                   text is not a JSON object
 */
public record AuditEntry(String id, long chainSeq, Instant occurredAt, String actorId, String actorLogin, String actorName,
                         String action, String targetType, String targetId, String ip, String requestId,
                         Map<String, Object> detail) {
}
