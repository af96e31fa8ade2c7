package jp.kairan.server.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for a condition by polling it with a deadline: the one way tests here wait for something that happens on
 * another thread or in another process. A test never sleeps a fixed time and hopes; it says what it waits for and
 * how long is too long, and fails with that when the deadline passes.
 *
 * <pre>{@code
 * Eventually.within(Duration.ofSeconds(5)).until("the index holds the message", () -> search("鈴虫").size() == 1);
 * List<Hit> hits = Eventually.within(Duration.ofSeconds(5)).get("one hit", () -> search("鈴虫"), h -> h.size() == 1);
 * }</pre>
 */
public final class Eventually {
    private static final Duration DEFAULT_POLL = Duration.ofMillis(25);

    private final Duration timeout;
    private final Duration poll;

    private Eventually(Duration timeout, Duration poll) {
        this.timeout = timeout;
        this.poll = poll;
    }

    /** Polls every 25 ms until {@code timeout} has passed. */
    public static Eventually within(Duration timeout) {
        return new Eventually(timeout, DEFAULT_POLL);
    }

    /** The same deadline, polled every {@code interval}. */
    public Eventually every(Duration interval) {
        return new Eventually(timeout, interval);
    }

    /** Returns once {@code condition} is true; fails with {@code what} when the deadline passes first. */
    public void until(String what, Callable<Boolean> condition) {
        get(what, condition, Boolean.TRUE::equals);
    }

    /**
     * Returns the first value of {@code probe} that {@code accept} takes. An exception from the probe counts as "not
     * yet" and is attached to the failure if the deadline passes.
     */
    public <T> T get(String what, Callable<T> probe, Predicate<? super T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = probe.call();
                lastError = null;
                if (accept.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError failure = new AssertionError("waited " + timeout.toMillis() + " ms for " + what
                        + "; last value: " + last);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Waits a quiet period in which {@code condition} must stay false: for asserting that something does
     * <em>not</em> happen. Fails as soon as it becomes true.
     */
    public void never(String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    throw new AssertionError("did not expect " + what);
                }
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while watching for " + what, e);
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("failed while watching for " + what, e);
            }
        }
    }
}
