package jp.kairan.server.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database was reachable at the last attempt. Logs one line when it becomes unreachable and one when
 * it is back (with how long and how many requests were refused), instead of a stack trace per refused request;
 * counts refusals in {@code kairan.database.unavailable.refused} and shows the state in
 * {@code kairan.database.reachable}. Thread-safe.
 */
final class Reachability {
    private static final Logger log = LoggerFactory.getLogger(Reachability.class);

    private final AtomicLong refusedInOutage = new AtomicLong();
    private final Counter refused;
    private volatile boolean unreachable;
    private volatile Instant since;
    private volatile long lastFailureNanos;

    Reachability(MeterRegistry metrics) {
        this.refused = metrics == null ? null : Counter.builder("kairan.database.unavailable.refused")
                .description("requests refused with database_unavailable because the database could not be reached")
                .register(metrics);
        if (metrics != null) {
            Gauge.builder("kairan.database.reachable", this, r -> r.unreachable ? 0 : 1)
                    .description("1 while the database answers, 0 during an outage").register(metrics);
        }
    }

    /** A request refused with database_unavailable. */
    void refused() {
        refusedInOutage.incrementAndGet();
        if (refused != null) {
            refused.increment();
        }
    }

    /** A connection attempt failed: the database cannot be reached. */
    void failed(Throwable cause) {
        lastFailureNanos = System.nanoTime();
        if (!unreachable) {
            synchronized (this) {
                if (!unreachable) {
                    since = Instant.now();
                    unreachable = true;
                    log.warn("database unreachable since {} ({}); requests are refused with database_unavailable until it answers",
                            since, rootMessage(cause));
                }
            }
        }
    }

    /** A connection worked. */
    void succeeded() {
        if (unreachable) {
            synchronized (this) {
                if (unreachable) {
                    unreachable = false;
                    long n = refusedInOutage.getAndSet(0);
                    double seconds = Duration.between(since, Instant.now()).toMillis() / 1000.0;
                    log.warn("database reachable again after {} s; {} requests refused", String.format("%.1f", seconds), n);
                }
            }
        }
    }

    boolean unreachable() {
        return unreachable;
    }

    /** Whether the last connection failure was less than {@code window} ago and nothing worked since. */
    boolean failedWithin(Duration window) {
        return unreachable && System.nanoTime() - lastFailureNanos < window.toNanos();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
