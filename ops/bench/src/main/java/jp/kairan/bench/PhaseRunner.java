package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Runs a {@link Phase} as an open model: login {@code i} is due at {@code start + i / rate}, and
 * it is started then whether or not earlier logins have finished. One thread keeps the schedule;
 * requests are asynchronous. Latency runs from the due time, not from when the request went out.
 */
final class PhaseRunner {
    private static final long MAX_TRACKABLE_MICROS = 120_000_000L;

    private final Api api;
    private final UserPool users;
    private final int maxInFlight;
    private final long drainTimeoutNanos;

    PhaseRunner(Api api, UserPool users, int maxInFlight, long requestTimeoutSeconds) {
        this.api = api;
        this.users = users;
        this.maxInFlight = maxInFlight;
        // each login is two requests, each with its own timeout
        this.drainTimeoutNanos = TimeUnit.SECONDS.toNanos(2 * requestTimeoutSeconds + 5);
    }

    PhaseResult run(Phase phase) {
        SynchronizedHistogram latency = new SynchronizedHistogram(MAX_TRACKABLE_MICROS, 3);
        SynchronizedHistogram passwordStep = new SynchronizedHistogram(MAX_TRACKABLE_MICROS, 3);
        SynchronizedHistogram otpStep = new SynchronizedHistogram(MAX_TRACKABLE_MICROS, 3);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        LongAdder ok = new LongAdder();
        LongAdder okInWindow = new LongAdder();
        AtomicLong inFlight = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>();

        long total = phase.logins();
        double intervalNanos = 1e9 / phase.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long windowEnd = start + TimeUnit.SECONDS.toNanos(phase.seconds());
        long maxLag = 0;
        long sent = 0;

        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * intervalNanos);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            maxLag = Math.max(maxLag, now - due);
            if (inFlight.get() >= maxInFlight) {
                count(errors, "bench_in_flight_limit");
                continue;
            }
            Account user = users.take(Account.currentStep());
            if (user == null) {
                count(errors, "no_free_user");
                continue;
            }
            sent++;
            inFlight.incrementAndGet();
            pending.add(login(user, passwordStep, otpStep).handle((v, failure) -> {
                long end = System.nanoTime();
                users.release(user);
                inFlight.decrementAndGet();
                if (failure == null) {
                    latency.recordValue(Math.min((end - due) / 1000, MAX_TRACKABLE_MICROS));
                    ok.increment();
                    if (end <= windowEnd) {
                        okInWindow.increment();
                    }
                } else {
                    count(errors, Api.translate(failure).code());
                }
                return null;
            }));
        }

        long drainStart = System.nanoTime();
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(drainTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            count(errors, "bench_drain_timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while draining " + phase.name(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

        Map<String, Long> errorCounts = new java.util.TreeMap<>();
        errors.forEach((code, n) -> errorCounts.put(code, n.sum()));
        return new PhaseResult(phase, total, sent, ok.sum(), okInWindow.sum(), latency.copy(),
                passwordStep.copy(), otpStep.copy(), errorCounts, maxLag / 1000, drainSeconds);
    }

    /**
     * One sign-in of an enrolled user on its approved device: password, then a fresh TOTP code, each with a DPoP
     * proof by the device key (signed when the request is built, as a browser does: about 0.5 ms on Java 17,
     * 0.15 ms on Java 25, inside the measured latency). Also records each request's own response time (send to
     * answer), to tell which step costs what.
     */
    private CompletableFuture<Void> login(Account user, SynchronizedHistogram passwordStep, SynchronizedHistogram otpStep) {
        long passwordSent = System.nanoTime();
        return api.postAsync("/auth/login", Map.of("loginId", user.loginId, "password", user.password), null,
                        user.deviceKey)
                .thenCompose(step -> {
                    long otpSent = System.nanoTime();
                    record(passwordStep, otpSent - passwordSent);
                    expectNext(step, "otp", user);
                    long s = Account.currentStep();
                    if (s <= user.lastStep) {
                        throw new ApiException(0, "bench_step_reused", user.loginId + " already used step " + s, false);
                    }
                    String code = user.codeFor(s);
                    return api.postAsync("/auth/otp",
                            Map.of("ticket", step.path("ticket").asText(""), "method", "totp", "code", code), null,
                            user.deviceKey)
                            .thenApply(done -> {
                                record(otpStep, System.nanoTime() - otpSent);
                                return done;
                            });
                })
                .thenAccept(step -> {
                    expectNext(step, "done", user);
                    if (step.path("session").path("accessToken").asText("").isEmpty()) {
                        throw new ApiException(200, "missing_access_token", user.loginId, false);
                    }
                });
    }

    private static void record(SynchronizedHistogram histogram, long nanos) {
        histogram.recordValue(Math.min(nanos / 1000, MAX_TRACKABLE_MICROS));
    }

    private static void expectNext(JsonNode step, String expected, Account user) {
        String next = step.path("next").asText("");
        if (!expected.equals(next)) {
            throw new ApiException(200, "unexpected_next_" + (next.isEmpty() ? "missing" : next),
                    user.loginId + " expected " + expected, false);
        }
    }

    private static void count(Map<String, LongAdder> errors, String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }
}
