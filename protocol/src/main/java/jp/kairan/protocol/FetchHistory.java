package jp.kairan.protocol;

/**
 * {@code message.history}: pages backwards through a room: the messages before {@code beforeSeq}, returned
 * oldest first. Answered with {@link MessagePage}; {@code hasMore} tells whether older ones exist.
 *
 * @param id        request id
 * @param roomId    the room
 * @param beforeSeq exclusive upper bound; null for the newest messages
 * @param limit     most messages, 1..{@value SyncMessages#MAX_LIMIT}; null for {@value SyncMessages#DEFAULT_LIMIT}
 */
public record FetchHistory(String id, String roomId, Long beforeSeq, Integer limit) implements ClientMessage {
    public static final String TYPE = "message.history";

    public FetchHistory {
        FrameRules.requestId(id);
        FrameRules.entityId(roomId, "roomId");
        if (beforeSeq != null && beforeSeq < 1) {
            throw new IllegalArgumentException("beforeSeq must be at least 1");
        }
        if (limit != null && (limit < 1 || limit > SyncMessages.MAX_LIMIT)) {
            throw new IllegalArgumentException("limit must be 1.." + SyncMessages.MAX_LIMIT);
        }
    }

    public int limitOrDefault() {
        return limit == null ? SyncMessages.DEFAULT_LIMIT : limit;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
