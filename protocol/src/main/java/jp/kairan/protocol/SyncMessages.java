package jp.kairan.protocol;

/**
 * {@code message.sync}: the messages of a room after the last sequence number the client has, oldest first.
 * Answered with {@link MessagePage}; when {@code hasMore} is true, ask again after the page's last seq.
 *
 * @param id       request id
 * @param roomId   the room
 * @param afterSeq the last seq the client has seen (0 for none); larger than the room's last seq is an error
 * @param limit    most messages to return, 1..{@value #MAX_LIMIT}; null for {@value #DEFAULT_LIMIT}
 */
public record SyncMessages(String id, String roomId, long afterSeq, Integer limit) implements ClientMessage {
    public static final String TYPE = "message.sync";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    public SyncMessages {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        FrameRules.seq(afterSeq, "afterSeq");
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }

    public int limitOrDefault() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
