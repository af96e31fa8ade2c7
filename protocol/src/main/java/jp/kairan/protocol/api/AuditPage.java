package jp.kairan.protocol.api;

import java.util.List;

/**
 * A page of an organization's audit log, newest first.
 *
 * @param events     the events, by chain seq, newest first
 * @param hasMore    older matching events remain
 * @param nextBefore the {@code before} for the next (older) page: the last event's chain seq; null without more
 */
public record AuditPage(List<AuditEntry> events, boolean hasMore, Long nextBefore) {
}
