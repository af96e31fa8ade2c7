package jp.kairan.protocol.api;

import java.time.Instant;
import java.util.List;

/**
 * A message found by a search, with its current text from the database.
 *
 * @param roomId     room
 * @param roomName   the room's name (a direct talk: the other member's name)
 * @param messageId  message
 * @param seq        the message's position in its room (open the room there)
 * @param senderId   author
 * @param senderName author's display name
 * @param sentAt     when it was sent
 * @param editedAt   when it was last edited, or null
 * @param text       the current text
 * @param highlights the matched words as UTF-16 offsets into {@code text}, sorted and not overlapping
 */
public record SearchHit(String roomId, String roomName, String messageId, long seq, String senderId, String senderName,
                        Instant sentAt, Instant editedAt, String text, List<TextSpan> highlights) {
}
