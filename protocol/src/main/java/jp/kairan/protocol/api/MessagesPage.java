package jp.kairan.protocol.api;

import java.util.List;
import jp.kairan.protocol.MessageView;

/**
 * A page of a room's messages, oldest first (the HTTP form of the gateway's {@code message.page}).
 *
 * @param roomId   room
 * @param messages messages in seq order
 * @param hasMore  older messages remain (backwards paging) or newer ones (with {@code afterSeq})
 * @param lastSeq  the room's newest seq
 */
public record MessagesPage(String roomId, List<MessageView> messages, boolean hasMore, long lastSeq) {
}
