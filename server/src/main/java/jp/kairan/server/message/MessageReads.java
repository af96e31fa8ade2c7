package jp.kairan.server.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.MessageView;
import jp.kairan.protocol.SyncMessages;
import jp.kairan.protocol.api.MessageReaders;
import jp.kairan.protocol.api.MessagesPage;
import jp.kairan.protocol.api.RoomSummary;
import jp.kairan.server.access.Principal;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.room.Membership;
import jp.kairan.server.room.RoomListing;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.store.Database;

/**
 * The blocking message queries of the HTTP API: a page of history, who read a message, the room list with unread
 * counts. Every method blocks its caller (an HTTP worker, never an event loop) for one transaction on a
 * {@code kairan-db-n} thread, and reads the membership uncached in that transaction: members may read, and the
 * organization's owners read-only with an audit event. The gateway's commands are {@link Messages}. Thread-safe.
 */
public final class MessageReads {
    private final Database db;
    private final RoomService rooms;
    private final MessageRepository repository = new MessageRepository();
    private final MessageViews views = new MessageViews(repository);

    public MessageReads(Database db, RoomService rooms) {
        this.db = db;
        this.rooms = rooms;
    }

    /** A page of history: before {@code beforeSeq} (or the newest), or after {@code afterSeq}; oldest first. */
    public MessagesPage page(Principal user, long roomId, Long beforeSeq, Long afterSeq, int limit, Origin origin) {
        if (limit < 1 || limit > SyncMessages.MAX_LIMIT) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "limit must be 1.." + SyncMessages.MAX_LIMIT, "limit");
        }
        if (beforeSeq != null && afterSeq != null) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "give beforeSeq or afterSeq, not both", "afterSeq");
        }
        return db.call(tx -> {
            rooms.requireReader(tx, rooms.membership(tx, roomId), user, "messages", origin);
            return afterSeq != null ? views.after(tx, roomId, afterSeq, limit) : views.before(tx, roomId, beforeSeq, limit);
        });
    }

    /** Who has read the message at {@code seq}, and when; who has not. */
    public MessageReaders readers(Principal user, long roomId, long seq, Origin origin) {
        return db.call(tx -> {
            Membership room = rooms.membership(tx, roomId);
            rooms.requireReader(tx, room, user, "readers", origin);
            long last = repository.lastSeq(tx, roomId);
            if (seq < 1 || seq > last) {
                throw new KairanException(ErrorCode.INVALID_SEQ, "seq " + seq + " is not a message of the room (last " + last + ")", "seq");
            }
            MessageRepository.Row message = repository.at(tx, Map.of(roomId, seq)).stream().findFirst()
                    .orElseThrow(() -> new KairanException(ErrorCode.NOT_FOUND, "no message " + seq + " in room " + roomId));
            Map<Long, Instant> times = repository.readTimes(tx, roomId, seq);
            List<MessageReaders.Reader> readers = new ArrayList<>();
            List<String> unread = new ArrayList<>();
            for (var m : rooms.detail(tx, roomId, user.userId(), true).members()) {
                long memberId = Long.parseLong(m.userId());
                if (memberId == message.senderId()) {
                    continue;
                }
                Instant at = m.readSeq() >= seq ? times.get(memberId) : null;
                if (m.readSeq() >= seq) {
                    readers.add(new MessageReaders.Reader(m.userId(), m.displayName(), at));
                } else {
                    unread.add(m.userId());
                }
            }
            readers.sort(Comparator.comparing(MessageReaders.Reader::readAt, Comparator.nullsLast(Comparator.naturalOrder())));
            return new MessageReaders(Long.toString(roomId), seq, readers, unread);
        });
    }

    /** The user's rooms with unread counts and last messages, most recent activity first. */
    public List<RoomSummary> roomList(Principal user) {
        if (user.orgId() == null) {
            return List.of();
        }
        return db.call(tx -> {
            List<RoomListing> mine = rooms.roomsOf(tx, user.userId());
            Map<Long, Long> lastSeqs = new HashMap<>();
            mine.stream().filter(r -> r.lastSeq() > 0).forEach(r -> lastSeqs.put(r.roomId(), r.lastSeq()));
            Map<Long, MessageView> last = new HashMap<>();
            for (MessageView v : views.list(tx, repository.at(tx, lastSeqs))) {
                last.put(Long.parseLong(v.roomId()), v);
            }
            Map<Long, Long> mentions = repository.unreadMentions(tx, user.userId());
            List<RoomSummary> list = new ArrayList<>();
            for (RoomListing r : mine) {
                list.add(new RoomSummary(Long.toString(r.roomId()), r.direct() ? "direct" : "group", r.name(), r.archived(),
                        r.myRole().wireName(), r.memberCount(), r.lastSeq(), r.readSeq(),
                        Math.max(0, r.lastSeq() - r.readSeq()), mentions.getOrDefault(r.roomId(), 0L), last.get(r.roomId()),
                        r.peerId() == null ? null : Long.toString(r.peerId())));
            }
            list.sort(Comparator.comparing((RoomSummary s) -> s.lastMessage() == null ? Instant.EPOCH : s.lastMessage().sentAt())
                    .reversed().thenComparing(RoomSummary::id));
            return list;
        });
    }
}
