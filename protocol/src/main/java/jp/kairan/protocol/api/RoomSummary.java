package jp.kairan.protocol.api;

import jp.kairan.protocol.MessageView;

/**
 * One of the caller's rooms, as the room list shows it.
 *
 * @param id             room id
 * @param kind           {@code group} or {@code direct}
 * @param name           group name; for a direct talk, the other person's display name
 * @param archived       read-only
 * @param myRole         the caller's role in the room: {@code owner}, {@code admin} or {@code member}
 * @param memberCount    members
 * @param lastSeq        seq of the newest message (0 when none)
 * @param readSeq        the caller's read seq
 * @param unread         messages after the caller's read seq
 * @param unreadMentions unread messages that mention the caller (or all)
 * @param lastMessage    the newest message, or null
 * @param peerId         for a direct talk, the other person's user id
 */
public record RoomSummary(String id, String kind, String name, boolean archived, String myRole, int memberCount,
                          long lastSeq, long readSeq, long unread, long unreadMentions, MessageView lastMessage,
                          String peerId) {
}
