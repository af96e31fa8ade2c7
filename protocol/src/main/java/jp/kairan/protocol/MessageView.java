package jp.kairan.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A message as members see it (in {@link MessagePosted} and {@link MessagePage}). A deleted message keeps its
 * place in the sequence with {@code deleted: true} and no text.
 *
 * @param id          message id
 * @param roomId      room
 * @param seq         per-room sequence number, strictly increasing from 1
 * @param senderId    author
 * @param senderName  author's display name when sent
 * @param text        text; null when deleted
 * @param sentAt      when stored
 * @param editedAt    last edit, or null
 * @param deleted     whether deleted
 * @param replyTo     the quoted message, or null
 * @param mentions    mentioned user ids (empty when none)
 * @param mentionAll  whether {@code @all} was used
 * @param reactions   reactions, one entry per emoji (empty when none)
 */
public record MessageView(String id, String roomId, long seq, String senderId, String senderName, String text,
                          Instant sentAt, Instant editedAt, boolean deleted, ReplyRef replyTo, List<String> mentions,
                          boolean mentionAll, List<Reaction> reactions) {

    public MessageView {
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        reactions = reactions == null ? List.of() : List.copyOf(reactions);
    }

    /**
     * The message a reply quotes.
     *
     * @param messageId the quoted message
     * @param seq       its seq
     * @param senderId  its author
     * @param excerpt   the start of its text (at most {@value #EXCERPT_CHARS} characters), null if deleted
     */
    public record ReplyRef(String messageId, long seq, String senderId, String excerpt) {
        public static final int EXCERPT_CHARS = 120;
    }

    /**
     * One emoji's reactions.
     *
     * @param emoji   the emoji
     * @param userIds who reacted, in order of reacting
     */
    public record Reaction(String emoji, List<String> userIds) {
        public Reaction {
            userIds = List.copyOf(userIds);
        }
    }
}
