package jp.kairan.server.message;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import jp.kairan.protocol.DeleteMessage;
import jp.kairan.protocol.EditMessage;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.FetchHistory;
import jp.kairan.protocol.MarkRead;
import jp.kairan.protocol.MessageDeleted;
import jp.kairan.protocol.MessageEdited;
import jp.kairan.protocol.MessagePage;
import jp.kairan.protocol.ReactionChanged;
import jp.kairan.protocol.ReceiptUpdated;
import jp.kairan.protocol.SendMessage;
import jp.kairan.protocol.ServerMessage;
import jp.kairan.protocol.SyncMessages;
import jp.kairan.protocol.TypingStarted;
import jp.kairan.protocol.api.MessagesPage;
import jp.kairan.server.access.Principal;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.ceiling.Screening;
import jp.kairan.server.config.MessagesConfig;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.room.Membership;
import jp.kairan.server.room.RoomEvents;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.search.SearchOutbox;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;
import jp.kairan.server.text.UnicodeRules;

/**
 * The message commands of the gateway: send (validate → store by group commit → deliver → acknowledge), edit,
 * delete, sync and history by sequence number, read receipts, reactions, typing. Only members act, over the
 * gateway; HTTP reads are {@link MessageReads}.
 *
 * <p>Threading. Every method is called on the caller's thread {@code caller} (a connection's event loop), never
 * blocks and returns a future. Each hop names where it runs:
 * <ul>
 *   <li>the membership comes from the room cache: at once on a hit, else loaded on a {@code kairan-db-n} thread;
 *   <li>what follows it (membership, archive and mention checks, screening with short texts classified inline)
 *       runs on {@code caller} (at once when the membership was cached, else as a task on {@code caller}), never on
 *       the thread that loaded it, so no CPU work lands on a database thread;
 *   <li>transactions run on {@code kairan-db-n}, sends on the writer lane of their room ({@link GroupCommit});
 *   <li>after a transaction only cheap hand-offs run on its thread; events are encoded and fanned out on
 *       {@code caller} (sends: on the lane, in seq order), and the command's reply follows on a later task of
 *       {@code caller}, so the sender's own connection gets the event before the reply.
 * </ul>
 * Results complete on the thread named at each method; failures may complete on any of them. Thread-safe.
 */
public final class Messages implements AutoCloseable {
    /** Most distinct emoji on one message. */
    public static final int MAX_REACTION_KINDS = 20;

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final RoomService rooms;
    private final RoomEvents events;
    private final MessageRepository repository = new MessageRepository();
    private final MessageViews views = new MessageViews(repository);
    private final GroupCommit commits;
    private final Screening screening;
    private final SearchOutbox searchOutbox;

    public Messages(Database db, Clock clock, AuditService audit, RoomService rooms, RoomEvents events,
                    Screening screening, SearchOutbox searchOutbox, MessagesConfig config, MeterRegistry metrics) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.rooms = rooms;
        this.events = events;
        this.screening = screening;
        this.searchOutbox = searchOutbox;
        this.commits = new GroupCommit(db, clock, repository, events, searchOutbox, config.writerLanes(),
                config.queueCapacity(), config.maxBatch(), metrics);
    }

    /** Starts the writer lanes. */
    public void start() {
        commits.start();
    }

    /**
     * Classifies and stores a message; completes on its writer lane ({@code kairan-messages-n}) after its commit and
     * after its {@code message.posted} went out, with the stored (or earlier, for a retry) message. Content above the
     * room's ceiling fails with {@code content_blocked} and is never stored; a full lane fails with
     * {@code server_busy}.
     */
    public CompletableFuture<Stored> send(Principal sender, String senderName, SendMessage cmd, Origin origin, Executor caller) {
        if (UnicodeRules.unpairedSurrogate(cmd.text()).isPresent()) {
            return CompletableFuture.failedFuture(unpairedSurrogate());
        }
        return onCaller(rooms.membership(Long.parseLong(cmd.roomId())), caller, room -> {
            // On caller: checks, then screening (inline on caller for short texts when the policies are cached).
            requireWritable(room, sender);
            List<Long> mentioned = mentioned(room, cmd);
            return onCaller(screening.screen(sender, room, cmd.text(), cmd.confirmedWarning(), Screening.Use.SEND, origin, caller), caller,
                    // On caller: a queue offer. The lane commits, fans out, then completes the future on its thread.
                    screened -> commits.submit(new PendingSend(sender.userId(), senderName, room, cmd, mentioned,
                            new CompletableFuture<>())).thenApply(stored -> {
                                // On the lane: queues the audit of a confirmed warning (one transaction, elsewhere).
                                if (!stored.duplicate()) {
                                    screening.recordSent(screened, sender, room, stored.message().id(), origin);
                                }
                                return stored;
                            }));
        });
    }

    /** The author replaces a message's text, classified like a send; the earlier text is kept for audit. */
    public CompletableFuture<Void> edit(Principal user, EditMessage cmd, Origin origin, Executor caller) {
        if (UnicodeRules.unpairedSurrogate(cmd.text()).isPresent()) {
            return CompletableFuture.failedFuture(unpairedSurrogate());
        }
        long roomId = Long.parseLong(cmd.roomId());
        return onCaller(rooms.membership(roomId), caller, room -> {
            requireWritable(room, user);
            return onCaller(screening.screen(user, room, cmd.text(), cmd.confirmedWarning(), Screening.Use.EDIT, origin, caller), caller,
                    screened -> toRoomThenReply(db.inTransaction(tx -> {
                        MessageRepository.Target t = ownMessage(tx, roomId, Long.parseLong(cmd.messageId()), user);
                        Instant now = clock.instant();
                        repository.replaceBody(tx, t, cmd.text(), now, false);
                        searchOutbox.record(tx, List.of(t.id()), now);
                        return new MessageEdited(cmd.roomId(), cmd.messageId(), t.seq(), cmd.text(), now);
                    }).thenApply(edited -> {
                        // On kairan-db-n, after the commit: hand-offs only.
                        searchOutbox.wake();
                        screening.recordSent(screened, user, room, cmd.messageId(), origin);
                        return edited;
                    }), room, caller));
        });
    }

    /** The author deletes a message: members no longer see its text; it is kept for audit. */
    public CompletableFuture<Void> delete(Principal user, DeleteMessage cmd, Origin origin, Executor caller) {
        long roomId = Long.parseLong(cmd.roomId());
        return onCaller(rooms.membership(roomId), caller, room -> {
            RoomService.requireMember(room, user);
            return toRoomThenReply(db.inTransaction(tx -> {
                MessageRepository.Target t = ownMessage(tx, roomId, Long.parseLong(cmd.messageId()), user);
                Instant now = clock.instant();
                repository.replaceBody(tx, t, null, now, true);
                searchOutbox.record(tx, List.of(t.id()), now);
                audit.record(tx, new AuditEvent(room.orgId(), user.userId(), user.loginId(), AuditAction.MESSAGE_DELETED,
                        "message", cmd.messageId(), Map.of("roomId", cmd.roomId(), "seq", t.seq())), origin);
                return new MessageDeleted(cmd.roomId(), cmd.messageId(), t.seq(), now);
            }).thenApply(deleted -> {
                searchOutbox.wake(); // on kairan-db-n, after the commit
                return deleted;
            }), room, caller);
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

    /** The messages after {@code afterSeq}, oldest first. Completes on {@code kairan-db-n}. */
    public CompletableFuture<MessagePage> sync(Principal user, SyncMessages cmd, Executor caller) {
        long roomId = Long.parseLong(cmd.roomId());
        return onCaller(rooms.membership(roomId), caller, room -> {
            RoomService.requireMember(room, user);
            return db.inTransaction(tx -> {
                MessagesPage page = views.after(tx, roomId, cmd.afterSeq(), cmd.limitOrDefault());
                return new MessagePage(cmd.id(), cmd.roomId(), page.messages(), page.hasMore(), page.lastSeq());
            });
        });
    }

    /** The messages before {@code beforeSeq} (or the newest), oldest first. Completes on {@code kairan-db-n}. */
    public CompletableFuture<MessagePage> history(Principal user, FetchHistory cmd, Executor caller) {
        long roomId = Long.parseLong(cmd.roomId());
        return onCaller(rooms.membership(roomId), caller, room -> {
            RoomService.requireMember(room, user);
            return db.inTransaction(tx -> {
                MessagesPage page = views.before(tx, roomId, cmd.beforeSeq(), cmd.limitOrDefault());
                return new MessagePage(cmd.id(), cmd.roomId(), page.messages(), page.hasMore(), page.lastSeq());
            });
        });
    }

    /** Moves the user's read position forward; members hear of it when it moved. Completes on {@code caller}. */
    public CompletableFuture<Void> markRead(Principal user, MarkRead cmd, Executor caller) {
        long roomId = Long.parseLong(cmd.roomId());
        return onCaller(rooms.membership(roomId), caller, room -> {
            RoomService.requireMember(room, user);
            return toRoomThenReply(db.inTransaction(tx -> {
                long last = repository.lastSeq(tx, roomId);
                if (cmd.seq() > last) {
                    throw new KairanException(ErrorCode.INVALID_SEQ, "seq " + cmd.seq() + " is beyond the last message " + last, "seq");
                }
                Instant now = clock.instant();
                return repository.markRead(tx, roomId, user.userId(), cmd.seq(), now)
                        ? new ReceiptUpdated(cmd.roomId(), Long.toString(user.userId()), cmd.seq(), now) : null;
            }), room, caller);
        });
    }

    /**
     * Adds or removes the user's reaction; members hear of it when something changed. Completes on {@code caller}.
     * Only a single emoji can be added ({@link UnicodeRules#isSingleEmoji}); any reaction stored can be removed.
     */
    public CompletableFuture<Void> react(Principal user, String roomIdText, String messageIdText, String emoji, boolean add,
                                         Executor caller) {
        if (add && !UnicodeRules.isSingleEmoji(emoji)) {
            return CompletableFuture.failedFuture(new KairanException(ErrorCode.INVALID_MESSAGE, "emoji: must be a single emoji", "emoji"));
        }
        long roomId = Long.parseLong(roomIdText);
        long messageId = Long.parseLong(messageIdText);
        return onCaller(rooms.membership(roomId), caller, room -> {
            requireWritable(room, user);
            return toRoomThenReply(db.inTransaction(tx -> {
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
            }), room, caller);
        });
    }

    private static KairanException unpairedSurrogate() {
        return new KairanException(ErrorCode.INVALID_MESSAGE, "text: contains an unpaired surrogate", "text");
    }

    /** Tells the room's other members that the user is typing. Completes on {@code caller}. */
    public CompletableFuture<Void> typing(Principal user, String roomIdText, Executor caller) {
        return onCaller(rooms.membership(Long.parseLong(roomIdText)), caller, room -> {
            requireWritable(room, user);
            Set<Long> others = new HashSet<>(room.memberIds());
            others.remove(user.userId());
            events.toUsers(others, new TypingStarted(roomIdText, Long.toString(user.userId())));
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Hands the committed event (if any: null means nothing changed) to the room's members from {@code caller}, then
     * completes on a later task of {@code caller}. The sender's own connection lives on {@code caller}, and its copy
     * of the event is a task queued there before the completion, so the sender sees the event before the reply to
     * its command ({@code ok}), as it always has: a client may update its view from the event alone.
     */
    private <E extends ServerMessage> CompletableFuture<Void> toRoomThenReply(CompletableFuture<E> committed,
                                                                              Membership room, Executor caller) {
        return committed.thenAcceptAsync(event -> {
            if (event != null) {
                events.toRoom(room, event);
            }
        }, caller).thenRunAsync(() -> { }, caller);
    }

    /**
     * Continues {@code stage} with {@code next} on {@code caller}, never on the thread that completed it: at once on
     * this thread when {@code stage} is already complete (this thread is the caller's, by the contract above), else
     * as a task on {@code caller}. A failed stage skips {@code next}.
     */
    private static <T, U> CompletableFuture<U> onCaller(CompletableFuture<T> stage, Executor caller,
                                                        Function<? super T, ? extends CompletionStage<U>> next) {
        return stage.isDone() ? stage.thenCompose(next) : stage.thenComposeAsync(next, caller);
    }

    /** The explicitly mentioned users, each checked to be a member. */
    private static List<Long> mentioned(Membership room, SendMessage cmd) {
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
        return mentioned;
    }

    private static void requireWritable(Membership room, Principal user) {
        RoomService.requireMember(room, user);
        if (room.archived()) {
            throw new KairanException(ErrorCode.ROOM_ARCHIVED, "room " + room.roomId() + " is archived");
        }
    }

    /** Stores what is queued, then stops the lanes. */
    @Override
    public void close() {
        commits.close();
    }
}
