package jp.kairan.server.message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.MessagePosted;
import jp.kairan.protocol.MessageView;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.room.RoomEvents;
import jp.kairan.server.search.SearchOutbox;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.DatabaseException;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.DatabaseUnavailableException;
import jp.kairan.server.store.ServerBusyException;
import jp.kairan.server.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores sends in batches: one transaction, a few statements and one commit for all the sends that arrived
 * while the previous batch was committing (group commit), so durability does not cost a round trip per message.
 *
 * <p>Sends are partitioned into lanes by room, as Kafka partitions a topic: each lane is one thread with a
 * bounded queue, so one room's messages are stored, numbered and published in arrival order, and two lanes
 * never lock the same room row. Per batch: look up earlier sends by idempotency key, look up quoted messages,
 * lock the batch's rooms in id order and read their last seqs, insert the messages and mention rows with
 * JDBC batching (ids are assigned here, so batching stays on), raise the rooms' last seqs and the senders' read
 * positions, record the new ids in the search outbox, commit. Only after
 * the commit are the messages published and the senders' futures completed. A full lane queue fails the send
 * at once with {@code server_busy}.
 *
 * <p>Threads: {@link #submit} runs on the caller's thread (a queue offer); everything else on the lane's thread
 * {@code kairan-messages-n}: the transaction (on the lane's own connection, not on {@code kairan-db-n}), then
 * {@code message.posted} to {@link RoomEvents} in seq order, then the senders' futures, whose continuations
 * therefore start on the lane and must only hand off.
 *
 * <p>When a batch fails on a constraint (the same key sent through two nodes at once), it is retried once,
 * then each send is stored alone, so one bad send cannot fail its neighbours.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final Database db;
    private final Clock clock;
    private final MessageRepository repository;
    private final RoomEvents events;
    private final SearchOutbox searchOutbox;
    private final int maxBatch;
    private final Lane[] lanes;
    private final Timer commitTimer;
    private final DistributionSummary batchSizes;
    private final Counter stored;
    private volatile boolean closing;

    /**
     * @param events where each commit's new messages go, on the lane thread, in seq order per room
     */
    GroupCommit(Database db, Clock clock, MessageRepository repository, RoomEvents events,
                SearchOutbox searchOutbox, int lanes, int queueCapacity, int maxBatch, MeterRegistry metrics) {
        this.db = db;
        this.searchOutbox = searchOutbox;
        this.clock = clock;
        this.repository = repository;
        this.events = events;
        this.maxBatch = maxBatch;
        this.commitTimer = Timer.builder("kairan.messages.commit").description("Group-commit transactions")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.batchSizes = DistributionSummary.builder("kairan.messages.batch.size").description("Sends per group commit")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.stored = Counter.builder("kairan.messages.stored").description("Messages stored").register(metrics);
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane(i, queueCapacity);
        }
    }

    void start() {
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /** Queues a validated send; the future completes after its commit (or fails with server_busy at once). */
    CompletableFuture<Stored> submit(PendingSend send) {
        Lane lane = lanes[Math.floorMod(Long.hashCode(send.roomId()), lanes.length)];
        if (closing || !lane.queue.offer(send)) {
            send.result().completeExceptionally(new ServerBusyException("message lane " + lane.index + " is full"));
        }
        return send.result();
    }

    /** Stores what is queued, then stops the lanes. */
    @Override
    public void close() {
        closing = true;
        for (Lane lane : lanes) {
            lane.thread.interrupt();
        }
        for (Lane lane : lanes) {
            try {
                lane.thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Lane implements Runnable {
        final int index;
        final BlockingQueue<PendingSend> queue;
        final Thread thread;

        Lane(int index, int capacity) {
            this.index = index;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, "kairan-messages-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            List<PendingSend> batch = new ArrayList<>(maxBatch);
            while (true) {
                try {
                    PendingSend first = closing ? queue.poll() : queue.take();
                    if (first == null) {
                        return;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    if (queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                queue.drainTo(batch, maxBatch - 1);
                try {
                    store(batch);
                } catch (Throwable t) {
                    // Never let a lane die with sends queued behind it: answer this batch and go on. (An
                    // OutOfMemoryError is better met by -XX:+ExitOnOutOfMemoryError, as ops/kairan.service does.)
                    log.error("lane {} failed on a batch of {}", index, batch.size(), t);
                    RuntimeException failure = new IllegalStateException("message lane failed: " + t);
                    batch.forEach(send -> send.result().completeExceptionally(failure));
                }
                batch.clear();
            }
        }
    }

    private void store(List<PendingSend> batch) {
        long start = System.nanoTime();
        Map<PendingSend, Outcome> outcomes;
        try {
            outcomes = commit(batch);
        } catch (DatabaseException e) {
            if (!e.constraintViolation()) {
                failAll(batch, e);
                return;
            }
            outcomes = retryAlone(batch);
        } catch (RuntimeException e) {
            failAll(batch, e);
            return;
        } finally {
            commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchSizes.record(batch.size());
        }
        List<PendingSend> fresh = new ArrayList<>();
        for (PendingSend send : batch) {
            if (outcomes.get(send) instanceof Stored s && !s.duplicate()) {
                fresh.add(send);
            }
        }
        stored.increment(fresh.size());
        if (!fresh.isEmpty()) {
            searchOutbox.wake();
        }
        try {
            for (PendingSend send : fresh) {
                MessageView message = ((Stored) outcomes.get(send)).message();
                events.toRoom(send.room(), new MessagePosted(message.roomId(), message));
            }
        } catch (RuntimeException e) {
            log.error("publishing {} stored messages failed; members will fetch them on resume", fresh.size(), e);
        }
        for (PendingSend send : batch) {
            Outcome outcome = outcomes.get(send);
            if (outcome instanceof Stored s) {
                send.result().complete(s);
            } else if (outcome instanceof Outcome.Refused r) {
                send.result().completeExceptionally(r.reason());
            } else {
                // A SameAs is settled by resolveInBatchDuplicates before the commit returns.
                send.result().completeExceptionally(new IllegalStateException("send " + send.cmd().id() + " was not settled"));
            }
        }
    }

    private Map<PendingSend, Outcome> retryAlone(List<PendingSend> batch) {
        Map<PendingSend, Outcome> outcomes = new HashMap<>();
        for (PendingSend send : batch) {
            try {
                outcomes.putAll(commit(List.of(send)));
            } catch (RuntimeException e) {
                outcomes.put(send, new Outcome.Refused(e));
            }
        }
        return outcomes;
    }

    private void failAll(List<PendingSend> batch, RuntimeException e) {
        if (e instanceof DatabaseUnavailableException) {
            // Each sender gets database_unavailable (retryable); the outage is logged once by the database.
            batch.forEach(send -> send.result().completeExceptionally(e));
            return;
        }
        log.warn("storing a batch of {} messages failed: {}", batch.size(), e.toString());
        batch.forEach(send -> send.result().completeExceptionally(e));
    }

    /** One transaction for the batch; each send's outcome is settled: {@link Stored} or {@link Outcome.Refused}. */
    private Map<PendingSend, Outcome> commit(List<PendingSend> batch) {
        return db.callOnThisThread(tx -> {
            Map<PendingSend, Outcome> outcomes = new LinkedHashMap<>();
            List<PendingSend> toStore = dropDuplicates(tx, batch, outcomes);
            Map<Long, MessageRepository.Row> quoted = repository.byIds(tx, toStore.stream()
                    .filter(s -> s.cmd().replyTo() != null).map(s -> Long.parseLong(s.cmd().replyTo())).collect(Collectors.toSet()));
            Set<Long> roomIds = new HashSet<>();
            toStore.forEach(s -> roomIds.add(s.roomId()));
            Map<Long, Long> lastSeq = roomIds.isEmpty() ? Map.of() : repository.lockRooms(tx, roomIds);
            Instant now = clock.instant();
            List<MessageRepository.NewMessage> rows = new ArrayList<>();
            Map<Long, List<Long>> mentionRows = new HashMap<>();
            for (PendingSend send : toStore) {
                MessageView.ReplyRef replyTo = null;
                if (send.cmd().replyTo() != null) {
                    MessageRepository.Row q = quoted.get(Long.parseLong(send.cmd().replyTo()));
                    if (q == null || q.roomId() != send.roomId()) {
                        outcomes.put(send, new Outcome.Refused(new KairanException(ErrorCode.INVALID_MESSAGE,
                                "replyTo: no such message in this room", "replyTo")));
                        continue;
                    }
                    replyTo = MessageViews.replyRef(q);
                }
                long seq = lastSeq.merge(send.roomId(), 1L, Long::sum);
                long id = Ids.next();
                boolean all = Boolean.TRUE.equals(send.cmd().mentionAll());
                String mentions = send.mentioned().isEmpty() ? null
                        : send.mentioned().stream().map(String::valueOf).collect(Collectors.joining(","));
                MessageRepository.NewMessage row = new MessageRepository.NewMessage(id, send.roomId(), seq, send.senderId(),
                        send.cmd().id(), send.cmd().text(), now, replyTo == null ? null : Long.parseLong(replyTo.messageId()),
                        mentions, all);
                rows.add(row);
                Set<Long> notified = new HashSet<>(all ? send.room().memberIds() : send.mentioned());
                notified.remove(send.senderId());
                if (!notified.isEmpty()) {
                    mentionRows.put(id, List.copyOf(notified));
                }
                outcomes.put(send, new Stored(MessageViews.view(row.row(send.senderName()), replyTo, null), false));
            }
            if (!rows.isEmpty()) {
                repository.insert(tx, rows, mentionRows);
                searchOutbox.record(tx, rows.stream().map(MessageRepository.NewMessage::id).toList(), now);
                Map<Long, Long> raised = new HashMap<>();
                Map<List<Long>, Long> senders = new HashMap<>();
                for (MessageRepository.NewMessage r : rows) {
                    raised.merge(r.roomId(), r.seq(), Math::max);
                    senders.merge(List.of(r.roomId(), r.senderId()), r.seq(), Math::max);
                }
                repository.raiseLastSeq(tx, raised, now);
                repository.markSendersRead(tx, senders, now);
            }
            resolveInBatchDuplicates(outcomes);
            return outcomes;
        });
    }

    /**
     * Answers sends whose key was used before (in the database or earlier in this batch) with the earlier
     * message, or with {@code idempotency_conflict} when the room or text differs; returns the rest.
     */
    private List<PendingSend> dropDuplicates(Tx tx, List<PendingSend> batch, Map<PendingSend, Outcome> outcomes) {
        Map<String, MessageRepository.Earlier> earlier = new HashMap<>();
        for (MessageRepository.Earlier e : repository.findByKeys(tx, batch.stream().map(s -> s.cmd().id()).collect(Collectors.toSet()))) {
            earlier.put(e.senderId() + ":" + e.clientKey(), e);
        }
        Map<String, PendingSend> firstInBatch = new HashMap<>();
        List<PendingSend> rest = new ArrayList<>();
        for (PendingSend send : batch) {
            String key = send.senderId() + ":" + send.cmd().id();
            MessageRepository.Earlier e = earlier.get(key);
            if (e != null) {
                // A deleted message (no body) answers its retries as the duplicate it is.
                outcomes.put(send, e.roomId() == send.roomId() && (e.body() == null || send.cmd().text().equals(e.body()))
                        ? new Stored(MessageViews.view(e.row(send.senderName()), null, null), true)
                        : conflict(send));
            } else if (firstInBatch.containsKey(key)) {
                // Settled after the batch's outcomes are known: see resolveInBatchDuplicates.
                outcomes.put(send, new Outcome.SameAs(firstInBatch.get(key)));
            } else {
                firstInBatch.put(key, send);
                rest.add(send);
            }
        }
        return rest;
    }

    /** A send repeated within one batch gets the outcome of its first copy. */
    private static void resolveInBatchDuplicates(Map<PendingSend, Outcome> outcomes) {
        for (Map.Entry<PendingSend, Outcome> e : outcomes.entrySet()) {
            if (e.getValue() instanceof Outcome.SameAs same) {
                PendingSend first = same.first();
                PendingSend send = e.getKey();
                Outcome firstOutcome = outcomes.get(first);
                if (firstOutcome instanceof Stored s) {
                    e.setValue(first.roomId() == send.roomId() && first.cmd().text().equals(send.cmd().text())
                            ? new Stored(s.message(), true) : conflict(send));
                } else {
                    e.setValue(firstOutcome);
                }
            }
        }
    }

    private static Outcome.Refused conflict(PendingSend send) {
        return new Outcome.Refused(new KairanException(ErrorCode.IDEMPOTENCY_CONFLICT,
                "id " + send.cmd().id() + " was used for another message"));
    }
}
