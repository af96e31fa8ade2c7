package jp.kairan.protocol.api;

import java.time.Instant;

/**
 * An auditor's export request.
 *
 * @param scope    {@code room}, {@code user} (every room the user is a member of) or {@code org}
 * @param targetId the room or user; null for the organization
 * @param from     first instant included
 * @param to       instant after the last one included
 */
public record ExportRequest(String scope, String targetId, Instant from, Instant to) {
}
