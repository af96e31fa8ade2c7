package jp.kairan.server.search;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import jp.kairan.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the index in step with the database from the {@link SearchOutbox}: one daemon thread takes up to
 * {@value #BATCH} outbox rows in id order, loads those messages' current rows, indexes the live ones and removes
 * the deleted or purged ones, commits Lucene, and only then deletes the outbox rows it applied (by id, not by
 * "id &lt;= last": a transaction that took a smaller id may commit later). A crash anywhere leaves rows that are
 * applied again on start. Woken after each commit that recorded rows; otherwise polls every {@link #POLL}. Under a
 * steady stream, batches are spaced by {@link #LINGER} so that each carries many messages.
 *
 * <p>Writes to the index are serialized on one lock: a {@link #rebuild()} (on start when the index was
 * missing, or from the {@code reindex} command) and the batches never interleave.
 */
final class SearchIndexer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);
    static final int BATCH = 1_000;
    static final int REBUILD_PAGE = 2_000;
    static final Duration POLL = Duration.ofMillis(500);
    /**
     * After a batch smaller than {@link #BATCH}, the pause before the next one, so that under a steady stream of
     * sends the index commits (an fsync each, and three database statements) once a second over up to a thousand
     * messages instead of after every group commit over a handful: on one core shared with MariaDB, batches a quarter
     * of a second apart still took a third of the core at 750 msgs/s. New messages become searchable within about
     * this long. A full batch (a backlog) is followed at once.
     */
    static final Duration LINGER = Duration.ofSeconds(1);

    private final Database db;
    private final SearchIndex index;
    private final Clock clock;
    private final Semaphore wakeups = new Semaphore(0);
    private final Object writes = new Object();
    private final SearchRepository repository = new SearchRepository();
    private final Counter indexed;
    private final AtomicLong lagMillis = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean stopping;

    SearchIndexer(Database db, SearchIndex index, Clock clock, MeterRegistry metrics) {
        this.db = db;
        this.index = index;
        this.clock = clock;
        this.indexed = Counter.builder("kairan.search.indexed").description("Messages added to or replaced in the search index")
                .register(metrics);
        Gauge.builder("kairan.search.outbox.lag", lagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest search outbox row at the indexer's last look").register(metrics);
    }

    /** Starts the thread: rebuild first when the index was missing, then catch up with the outbox and follow it. */
    synchronized void start() {
        stopping = false;
        Thread t = new Thread(this, "kairan-search-indexer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the thread after its current batch; what it has not applied stays in the outbox. */
    synchronized void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stopping = true;
        wakeups.release();
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    @Override
    public void run() {
        if (index.needsRebuild()) {
            try {
                rebuild();
            } catch (RuntimeException | IOException e) {
                log.error("rebuilding the search index failed; run the reindex command", e);
            }
        }
        while (!stopping) {
            try {
                int applied = applyBatch();
                if (applied == 0) {
                    wakeups.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    wakeups.drainPermits();
                } else if (applied < BATCH && !stopping) {
                    Thread.sleep(LINGER.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                log.warn("search indexing failed; retrying: {}", e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Applies the outbox until it is empty; returns the rows applied. */
    long drain() throws IOException {
        long total = 0;
        int n;
        while ((n = applyBatch()) > 0) {
            total += n;
        }
        return total;
    }

    /** Applies one batch of outbox rows; returns how many rows it applied (0: the outbox was empty). */
    int applyBatch() throws IOException {
        synchronized (writes) {
            return applyBatchLocked();
        }
    }

    private int applyBatchLocked() throws IOException {
        List<SearchRepository.OutboxRow> rows = db.call(tx -> repository.outbox(tx, BATCH));
        if (rows.isEmpty()) {
            lagMillis.set(0);
            return 0;
        }
        lagMillis.set(Math.max(0, Duration.between(rows.get(0).createdAt(), clock.instant()).toMillis()));
        Set<Long> ids = rows.stream().map(SearchRepository.OutboxRow::messageId).collect(Collectors.toSet());
        Map<Long, SearchIndex.Doc> live = db.call(tx -> repository.liveMessages(tx, ids)).stream()
                .collect(Collectors.toMap(SearchIndex.Doc::id, d -> d));
        Set<Long> gone = new HashSet<>(ids);
        gone.removeAll(live.keySet());
        index.apply(live.values(), gone);
        index.commit();
        db.call(tx -> {
            repository.deleteOutbox(tx, rows);
            return null;
        });
        index.refresh();
        indexed.increment(live.size());
        return rows.size();
    }

    /**
     * Rebuilds the index from {@code messages}, walking ids in pages, and commits once at the end (so a crash
     * midway leaves no committed index and the next start rebuilds again). Searches see the pages as they come.
     * Outbox rows are left for the batches that follow, which apply them again harmlessly. Returns the messages
     * indexed.
     */
    long rebuild() throws IOException {
        synchronized (writes) {
            return rebuildLocked();
        }
    }

    private long rebuildLocked() throws IOException {
        long started = System.nanoTime();
        log.info("rebuilding the search index from the database");
        index.deleteAll();
        long after = Long.MIN_VALUE;
        long count = 0;
        int pages = 0;
        while (true) {
            long from = after;
            List<SearchIndex.Doc> page = db.call(tx -> repository.liveMessagesAfter(tx, from, REBUILD_PAGE));
            for (SearchIndex.Doc d : page) {
                index.add(d);
            }
            count += page.size();
            if (page.size() < REBUILD_PAGE) {
                break;
            }
            after = page.get(page.size() - 1).id();
            if (++pages % 25 == 0) {
                index.refresh();
                log.info("search index rebuild: {} messages so far", count);
            }
        }
        index.commit();
        index.refresh();
        index.rebuilt();
        indexed.increment(count);
        log.info("search index rebuilt: {} messages in {} s", count, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        return count;
    }
}
