package jp.kairan.server.message;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import jp.kairan.protocol.AddReaction;
import jp.kairan.protocol.DeleteMessage;
import jp.kairan.protocol.EditMessage;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.FetchHistory;
import jp.kairan.protocol.MarkRead;
import jp.kairan.protocol.MessageDeleted;
import jp.kairan.protocol.MessageEdited;
import jp.kairan.protocol.MessagePage;
import jp.kairan.protocol.MessagePosted;
import jp.kairan.protocol.MessageView;
import jp.kairan.protocol.ReactionChanged;
import jp.kairan.protocol.ReceiptUpdated;
import jp.kairan.protocol.SendMessage;
import jp.kairan.protocol.SyncMessages;
import jp.kairan.protocol.TypingStarted;
import jp.kairan.protocol.api.MessageReaders;
import jp.kairan.protocol.api.MessagesPage;
import jp.kairan.protocol.api.RoomSummary;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.MessagesConfig;
import jp.kairan.server.access.Principal;
import jp.kairan.server.room.Membership;
import jp.kairan.server.room.RoomEvents;
import jp.kairan.server.room.RoomListing;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.ceiling.Screening;
import jp.kairan.server.search.SearchOutbox;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;

/**
 * Messages: send (validate → store by group commit → acknowledge → deliver), edit, delete, sync and history
 * by sequence number, read receipts, reactions, typing, and the room list with unread counts.
 *
 * <p>Methods returning futures never block: membership comes from the room cache and the database work runs
 * on the database executor or a writer lane; they are for the gateway's event loops. The others block and are
 * for HTTP worker threads. Every path checks that the user may act in the room: members only over the gateway;
 * members and (read-only, audited) the organization's owners over HTTP. Thread-safe.
 */
public final class MessageService implements AutoCloseable {
    /** Most distinct emoji on one message. */
    public static final int MAX_REACTION_KINDS = 20;

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final RoomService rooms;
    private final RoomEvents events;
    private final MessageRepository repository = new MessageRepository();
    private final GroupCommit commits;
    private final Screening screening;
    private final SearchOutbox searchOutbox;

    public MessageService(Database db, Clock clock, AuditService audit, RoomService rooms, RoomEvents events,
                          Screening screening, SearchOutbox searchOutbox, MessagesConfig config, MeterRegistry metrics) {
        this.db = db;
        this.searchOutbox = searchOutbox;
        this.screening = screening;
        this.clock = clock;
        this.audit = audit;
        this.rooms = rooms;
        this.events = events;
        this.commits = new GroupCommit(db, clock, repository, this::publish, searchOutbox, config.writerLanes(),
                config.queueCapacity(), config.maxBatch(), metrics);
    }

    public void start() {
        commits.start();
    }

    /**
     * Classifies and stores a message; completes after its commit with the stored (or earlier, for a retry) message.
     * Content above the room's ceiling fails with {@code content_blocked} and is never stored.
     */
    public CompletableFuture<Stored> send(Principal sender, String senderName, SendMessage cmd, Origin origin) {
        return rooms.membership(Long.parseLong(cmd.roomId())).thenCompose(room -> {
            requireWritable(room, sender);
            List<Long> mentioned = new ArrayList<>();
            if (cmd.mentions() != null) {
                for (String m : new HashSet<>(cmd.mentions())) {
                    long userId = Long.parseLong(m);
                    if (!room.isMember(userId)) {
                        throw new KairanException(ErrorCode.INVALID_MESSAGE, "mentions: user " + m + " is not a member", "mentions");
                    }
                    mentioned.add(userId);
                }
            }
            return screening.screen(sender, room, cmd.text(), cmd.confirmedWarning(), "send", origin)
                    .thenCompose(screened -> commits.submit(new PendingSend(sender.userId(), senderName, room, cmd, mentioned,
                            new CompletableFuture<>())).thenApply(stored -> {
                                if (!stored.duplicate()) {
                                    screening.recordSent(screened, sender, room, stored.message().id(), origin);
                                }
                                return stored;
                            }));
        });
    }

    private void publish(List<Posted> posted) {
        for (Posted p : posted) {
            events.toRoom(p.room(), new MessagePosted(p.message().roomId(), p.message()));
        }
    }

    /** The author replaces a message's text, classified like a send; the earlier text is kept for audit. */
    public CompletableFuture<Void> edit(Principal user, EditMessage cmd, Origin origin) {
        long roomId = Long.parseLong(cmd.roomId());
        return rooms.membership(roomId).thenCompose(room -> {
            requireWritable(room, user);
            return screening.screen(user, room, cmd.text(), cmd.confirmedWarning(), "edit", origin).thenCompose(screened -> db.inTransaction(tx -> {
                MessageRepository.Target t = ownMessage(tx, roomId, Long.parseLong(cmd.messageId()), user);
                Instant now = clock.instant();
                repository.replaceBody(tx, t, cmd.text(), now, false);
                searchOutbox.record(tx, List.of(t.id()), now);
                return new MessageEdited(cmd.roomId(), cmd.messageId(), t.seq(), cmd.text(), now);
            }).thenAccept(edited -> {
                searchOutbox.wake();
                screening.recordSent(screened, user, room, cmd.messageId(), origin);
                events.toRoom(room, edited);
            }));
        });
    }

    /** The author deletes a message: members no longer see its text; it is kept for audit. */
    public CompletableFuture<Void> delete(Principal user, DeleteMessage cmd, Origin origin) {
        long roomId = Long.parseLong(cmd.roomId());
        return rooms.membership(roomId).thenCompose(room -> {
            RoomService.requireMember(room, user);
            return db.inTransaction(tx -> {
                MessageRepository.Target t = ownMessage(tx, roomId, Long.parseLong(cmd.messageId()), user);
                Instant now = clock.instant();
                repository.replaceBody(tx, t, null, now, true);
                searchOutbox.record(tx, List.of(t.id()), now);
                audit.record(tx, new AuditEvent(room.orgId(), user.userId(), user.loginId(), AuditAction.MESSAGE_DELETED,
                        "message", cmd.messageId(), Map.of("roomId", cmd.roomId(), "seq", t.seq())), origin);
                return new MessageDeleted(cmd.roomId(), cmd.messageId(), t.seq(), now);
            }).thenAccept(deleted -> {
                searchOutbox.wake();
                events.toRoom(room, deleted);
            });
        });
    }

    private MessageRepository.Target ownMessage(Tx tx, long roomId, long messageId, Principal user) {
        MessageRepository.Target t = repository.lockTarget(tx, messageId)
                .filter(m -> m.roomId() == roomId && m.deletedAt() == null)
                .orElseThrow(() -> new KairanException(ErrorCode.NOT_FOUND, "no message " + messageId + " in room " + roomId));
        if (t.senderId() != user.userId()) {
            throw new KairanException(ErrorCode.FORBIDDEN, "only the author changes a message");
        }
        return t;
    }

    /** The messages after {@code afterSeq}, oldest first. */
    public CompletableFuture<MessagePage> sync(Principal user, SyncMessages cmd) {
        long roomId = Long.parseLong(cmd.roomId());
        return rooms.membership(roomId).thenCompose(room -> {
            RoomService.requireMember(room, user);
            return db.inTransaction(tx -> {
                MessagesPage page = after(tx, roomId, cmd.afterSeq(), cmd.limitOrDefault());
                return new MessagePage(cmd.id(), cmd.roomId(), page.messages(), page.hasMore(), page.lastSeq());
            });
        });
    }

    /** The messages before {@code beforeSeq} (or the newest), oldest first. */
    public CompletableFuture<MessagePage> history(Principal user, FetchHistory cmd) {
        long roomId = Long.parseLong(cmd.roomId());
        return rooms.membership(roomId).thenCompose(room -> {
            RoomService.requireMember(room, user);
            return db.inTransaction(tx -> {
                MessagesPage page = before(tx, roomId, cmd.beforeSeq(), cmd.limitOrDefault());
                return new MessagePage(cmd.id(), cmd.roomId(), page.messages(), page.hasMore(), page.lastSeq());
            });
        });
    }

    /** Moves the user's read position forward; members hear of it when it moved. */
    public CompletableFuture<Void> markRead(Principal user, MarkRead cmd) {
        long roomId = Long.parseLong(cmd.roomId());
        return rooms.membership(roomId).thenCompose(room -> {
            RoomService.requireMember(room, user);
            return db.inTransaction(tx -> {
                long last = repository.lastSeq(tx, roomId);
                if (cmd.seq() > last) {
                    throw new KairanException(ErrorCode.INVALID_SEQ, "seq " + cmd.seq() + " is beyond the last message " + last, "seq");
                }
                Instant now = clock.instant();
                return repository.markRead(tx, roomId, user.userId(), cmd.seq(), now)
                        ? new ReceiptUpdated(cmd.roomId(), Long.toString(user.userId()), cmd.seq(), now) : null;
            }).thenAccept(updated -> {
                if (updated != null) {
                    events.toRoom(room, updated);
                }
            });
        });
    }

    /** Adds or removes the user's reaction; members hear of it when something changed. */
    public CompletableFuture<Void> react(Principal user, String roomIdText, String messageIdText, String emoji, boolean add) {
        long roomId = Long.parseLong(roomIdText);
        long messageId = Long.parseLong(messageIdText);
        return rooms.membership(roomId).thenCompose(room -> {
            requireWritable(room, user);
            return db.inTransaction(tx -> {
                MessageRepository.Row m = repository.byIds(tx, List.of(messageId)).get(messageId);
                if (m == null || m.roomId() != roomId || m.deletedAt() != null) {
                    throw new KairanException(ErrorCode.NOT_FOUND, "no message " + messageId + " in room " + roomId);
                }
                boolean changed;
                if (add) {
                    Map<String, List<String>> existing = repository.reactions(tx, List.of(messageId)).getOrDefault(messageId, Map.of());
                    if (!existing.containsKey(emoji) && existing.size() >= MAX_REACTION_KINDS) {
                        throw new KairanException(ErrorCode.INVALID_MESSAGE, "at most " + MAX_REACTION_KINDS + " kinds of reaction", "emoji");
                    }
                    changed = repository.addReaction(tx, messageId, user.userId(), emoji, clock.instant());
                } else {
                    changed = repository.removeReaction(tx, messageId, user.userId(), emoji);
                }
                return changed ? new ReactionChanged(roomIdText, messageIdText, m.seq(), emoji, Long.toString(user.userId()), add) : null;
            }).thenAccept(changed -> {
                if (changed != null) {
                    events.toRoom(room, changed);
                }
            });
        });
    }

    /** Tells the room's other members that the user is typing. */
    public CompletableFuture<Void> typing(Principal user, String roomIdText) {
        return rooms.membership(Long.parseLong(roomIdText)).thenAccept(room -> {
            requireWritable(room, user);
            Set<Long> others = new HashSet<>(room.memberIds());
            others.remove(user.userId());
            events.toUsers(others, new TypingStarted(roomIdText, Long.toString(user.userId())));
        });
    }

    /** A page of history over HTTP: members, and the org's owners read-only (audited). Blocks. */
    public MessagesPage page(Principal user, long roomId, Long beforeSeq, Long afterSeq, int limit, Origin origin) {
        if (limit < 1 || limit > SyncMessages.MAX_LIMIT) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "limit must be 1.." + SyncMessages.MAX_LIMIT, "limit");
        }
        if (beforeSeq != null && afterSeq != null) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "give beforeSeq or afterSeq, not both", "afterSeq");
        }
        return db.call(tx -> {
            rooms.requireReader(tx, rooms.membership(tx, roomId), user, "messages", origin);
            return afterSeq != null ? after(tx, roomId, afterSeq, limit) : before(tx, roomId, beforeSeq, limit);
        });
    }

    /** Who has read the message at {@code seq}, and when; who has not. Blocks. */
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

    /** The user's rooms with unread counts and last messages, most recent activity first. Blocks. */
    public List<RoomSummary> roomList(Principal user) {
        if (user.orgId() == null) {
            return List.of();
        }
        return db.call(tx -> {
            List<RoomListing> mine = rooms.roomsOf(tx, user.userId());
            Map<Long, Long> lastSeqs = new HashMap<>();
            mine.stream().filter(r -> r.lastSeq() > 0).forEach(r -> lastSeqs.put(r.roomId(), r.lastSeq()));
            Map<Long, MessageView> last = new HashMap<>();
            for (MessageView v : views(tx, repository.at(tx, lastSeqs))) {
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

    private MessagesPage after(Tx tx, long roomId, long afterSeq, int limit) {
        long last = repository.lastSeq(tx, roomId);
        if (afterSeq > last) {
            throw new KairanException(ErrorCode.INVALID_SEQ, "afterSeq " + afterSeq + " is beyond the last message " + last, "afterSeq");
        }
        List<MessageRepository.Row> rows = repository.after(tx, roomId, afterSeq, limit + 1);
        boolean more = rows.size() > limit;
        return new MessagesPage(Long.toString(roomId), views(tx, more ? rows.subList(0, limit) : rows), more, last);
    }

    private MessagesPage before(Tx tx, long roomId, Long beforeSeq, int limit) {
        long last = repository.lastSeq(tx, roomId);
        List<MessageRepository.Row> rows = repository.before(tx, roomId, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, limit + 1);
        boolean more = rows.size() > limit;
        return new MessagesPage(Long.toString(roomId), views(tx, more ? rows.subList(1, rows.size()) : rows), more, last);
    }

    /** Rows to views, with their reactions and quoted messages. */
    private List<MessageView> views(Tx tx, List<MessageRepository.Row> rows) {
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
            views.add(MessageRepository.view(r, q == null ? null : MessageRepository.replyRef(q), reactions.get(r.id())));
        }
        return views;
    }

    private static void requireWritable(Membership room, Principal user) {
        RoomService.requireMember(room, user);
        if (room.archived()) {
            throw new KairanException(ErrorCode.ROOM_ARCHIVED, "room " + room.roomId() + " is archived");
        }
    }

    @Override
    public void close() {
        commits.close();
    }
}
