package jp.kairan.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's periodic jobs on one daemon thread, {@code kairan-scheduler}: each job runs with a fixed delay after
 * the previous run ended, so a slow run never piles up behind itself, and a failing run is logged and retried at the
 * next turn rather than cancelling the job (which is what an escaped exception does to a scheduled task). Jobs are
 * short and do their own transactions; none may block for long, since they share the thread. Close once.
 */
final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kairan-scheduler");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code job} first after {@code first}, then {@code every} after each run ends. */
    void every(String name, Duration first, Duration every, Runnable job) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; will retry in {}", name, every, e);
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops scheduling and interrupts a running job. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
