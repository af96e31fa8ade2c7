package jp.kairan.server.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.search.text.QueryWords;

/**
 * A validated search (HTTP-API.md "Search"): every malformed parameter is refused as {@code invalid_field} naming it.
 *
 * @param words      the query's words, all of which must match
 * @param roomId     only this room, or null
 * @param senderId   only this sender, or null
 * @param from       {@code sentAt >= from}, or null
 * @param to         {@code sentAt < to}, or null
 * @param mentionsMe only messages that mention the caller (by name or {@code @all})
 * @param newest     newest first instead of best first
 * @param limit      most hits, 1..{@value #MAX_LIMIT}
 * @param after      where the previous page ended, or null for the first page
 */
public record SearchRequest(QueryWords words, Long roomId, Long senderId, Instant from, Instant to, boolean mentionsMe,
                            boolean newest, int limit, Cursor after) {
    public static final int MAX_QUERY_CHARS = 200;
    public static final int MAX_LIMIT = 50;
    public static final int DEFAULT_LIMIT = 20;
    static final int MAX_CURSOR_CHARS = 500;

    /**
     * The last hit of a page: its sort value (a relevance score's float bits, or {@code sentAt} in epoch
     * microseconds) and message id. Sent to clients as opaque base64url text.
     */
    record Cursor(boolean newest, long value, long messageId) {
        String encode() {
            String text = (newest ? "n" : "r") + ":" + value + ":" + messageId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String raw) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split(":");
                if (parts.length != 3 || !(parts[0].equals("n") || parts[0].equals("r"))) {
                    throw new IllegalArgumentException(raw);
                }
                return new Cursor(parts[0].equals("n"), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            } catch (IllegalArgumentException e) {
                throw KairanException.invalidField("cursor", "a nextCursor from an earlier answer");
            }
        }
    }

    /** Parses the query parameters (each null when absent). {@code roomId} is checked for access by the service. */
    public static SearchRequest parse(String q, String roomId, String senderId, String from, String to, String mentions,
                                      String sort, String limit, String cursor) {
        String text = q == null ? "" : q.strip();
        if (text.isEmpty() || text.length() > MAX_QUERY_CHARS) {
            throw KairanException.invalidField("q", "1.." + MAX_QUERY_CHARS + " characters");
        }
        Long room = null;
        if (roomId != null) {
            try {
                room = Long.parseLong(roomId.strip());
            } catch (NumberFormatException e) {
                throw KairanException.forbidden("no readable room " + roomId);
            }
        }
        Long sender = null;
        if (senderId != null) {
            try {
                sender = Long.parseLong(senderId.strip());
            } catch (NumberFormatException e) {
                throw KairanException.invalidField("senderId", "a user id");
            }
        }
        Instant f = time("from", from);
        Instant t = time("to", to);
        if (f != null && t != null && t.isBefore(f)) {
            throw KairanException.invalidField("to", "must not be before from");
        }
        if (mentions != null && !mentions.equals("me")) {
            throw KairanException.invalidField("mentions", "me");
        }
        if (sort != null && !sort.equals("relevance") && !sort.equals("newest")) {
            throw KairanException.invalidField("sort", "relevance or newest");
        }
        boolean newest = "newest".equals(sort);
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw KairanException.invalidField("limit", "1.." + MAX_LIMIT);
            }
        }
        Cursor after = null;
        if (cursor != null) {
            if (cursor.length() > MAX_CURSOR_CHARS) {
                throw KairanException.invalidField("cursor", "a nextCursor from an earlier answer");
            }
            after = Cursor.decode(cursor);
            if (after.newest() != newest) {
                throw KairanException.invalidField("cursor", "a nextCursor of a search with the same sort");
            }
        }
        return new SearchRequest(QueryWords.parse(text), room, sender, f, t, mentions != null, newest, n, after);
    }

    private static Instant time(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw KairanException.invalidField(field, "an ISO-8601 time with a zone, e.g. 2026-11-26T09:00:00+09:00");
        }
    }
}
