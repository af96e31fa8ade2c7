package jp.kairan.protocol;

import java.util.List;

/**
 * {@code message.page}: the reply to {@link SyncMessages} and {@link FetchHistory}: messages oldest first.
 *
 * @param re       the request id
 * @param roomId   room
 * @param messages messages in seq order
 * @param hasMore  sync: newer messages remain; history: older messages remain
 * @param lastSeq  the room's last seq when the page was read
 */
public record MessagePage(String re, String roomId, List<MessageView> messages, boolean hasMore, long lastSeq)
        implements ServerMessage {
    public static final String TYPE = "message.page";

    public MessagePage {
        messages = List.copyOf(messages);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
