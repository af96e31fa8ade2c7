package jp.kairan.server.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.MessageView;
import jp.kairan.protocol.api.MessagesPage;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.store.Tx;

/**
 * Message rows to what members see. {@link #view} is the one place a {@link MessageView} is built, for reads and
 * for sends just stored alike; the pages read in the caller's transaction. Stateless and thread-safe; runs on
 * whichever thread holds the transaction ({@code kairan-db-n} or a writer lane).
 */
final class MessageViews {
    private final MessageRepository repository;

    MessageViews(MessageRepository repository) {
        this.repository = repository;
    }

    /** The view of one row, with its quoted message and reactions (either may be null: none). */
    static MessageView view(MessageRepository.Row r, MessageView.ReplyRef replyTo, Map<String, List<String>> reactions) {
        List<MessageView.Reaction> rs = reactions == null ? List.of()
                : reactions.entrySet().stream().map(e -> new MessageView.Reaction(e.getKey(), e.getValue())).toList();
        return new MessageView(Long.toString(r.id()), Long.toString(r.roomId()), r.seq(), Long.toString(r.senderId()),
                r.senderName(), r.deletedAt() == null ? r.body() : null, r.sentAt(), r.editedAt(), r.deletedAt() != null,
                replyTo, mentionList(r.mentions()), r.mentionAll(), rs);
    }

    /** How a reply shows the message it quotes. */
    static MessageView.ReplyRef replyRef(MessageRepository.Row quoted) {
        return new MessageView.ReplyRef(Long.toString(quoted.id()), quoted.seq(), Long.toString(quoted.senderId()),
                quoted.deletedAt() == null ? excerpt(quoted.body()) : null);
    }

    static String excerpt(String body) {
        if (body == null) {
            return null;
        }
        int end = Math.min(body.length(), MessageView.ReplyRef.EXCERPT_CHARS);
        if (end < body.length() && Character.isHighSurrogate(body.charAt(end - 1))) {
            end--;
        }
        return body.substring(0, end);
    }

    static List<String> mentionList(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }

    /** The messages after {@code afterSeq}, oldest first. */
    MessagesPage after(Tx tx, long roomId, long afterSeq, int limit) {
        long last = repository.lastSeq(tx, roomId);
        if (afterSeq > last) {
            throw new KairanException(ErrorCode.INVALID_SEQ, "afterSeq " + afterSeq + " is beyond the last message " + last, "afterSeq");
        }
        List<MessageRepository.Row> rows = repository.after(tx, roomId, afterSeq, limit + 1);
        boolean more = rows.size() > limit;
        return new MessagesPage(Long.toString(roomId), list(tx, more ? rows.subList(0, limit) : rows), more, last);
    }

    /** The messages before {@code beforeSeq} (null: the newest), oldest first. */
    MessagesPage before(Tx tx, long roomId, Long beforeSeq, int limit) {
        long last = repository.lastSeq(tx, roomId);
        List<MessageRepository.Row> rows = repository.before(tx, roomId, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, limit + 1);
        boolean more = rows.size() > limit;
        return new MessagesPage(Long.toString(roomId), list(tx, more ? rows.subList(1, rows.size()) : rows), more, last);
    }

    /** Rows to views, with their reactions and quoted messages. */
    List<MessageView> list(Tx tx, List<MessageRepository.Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<String, List<String>>> reactions = repository.reactions(tx, rows.stream().map(MessageRepository.Row::id).toList());
        Set<Long> quotedIds = new HashSet<>();
        rows.forEach(r -> {
            if (r.replyToId() != null) {
                quotedIds.add(r.replyToId());
            }
        });
        Map<Long, MessageRepository.Row> quoted = repository.byIds(tx, quotedIds);
        List<MessageView> views = new ArrayList<>(rows.size());
        for (MessageRepository.Row r : rows) {
            MessageRepository.Row q = r.replyToId() == null ? null : quoted.get(r.replyToId());
            views.add(view(r, q == null ? null : replyRef(q), reactions.get(r.id())));
        }
        return views;
    }
}
