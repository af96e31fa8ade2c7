package jp.kairan.protocol.api;

import java.time.Instant;
import java.util.List;

/**
 * Who has read a message, and when (the 既読 list).
 *
 * @param roomId  room
 * @param seq     the message's seq
 * @param readers members other than the sender who have read it, earliest first
 * @param unread  user ids of members other than the sender who have not
 */
public record MessageReaders(String roomId, long seq, List<Reader> readers, List<String> unread) {

    /**
     * @param userId      reader
     * @param displayName display name
     * @param readAt      when they first read up to the message
     */
    public record Reader(String userId, String displayName, Instant readAt) {
    }
}
