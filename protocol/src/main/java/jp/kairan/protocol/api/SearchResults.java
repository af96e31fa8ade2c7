package jp.kairan.protocol.api;

import java.util.List;

/**
 * One page of a message search ({@code GET /api/v1/search}).
 *
 * @param hits       best first, or newest first with {@code sort=newest}
 * @param nextCursor the {@code cursor} of the next page, or null when there is none
 */
public record SearchResults(List<SearchHit> hits, String nextCursor) {
}
