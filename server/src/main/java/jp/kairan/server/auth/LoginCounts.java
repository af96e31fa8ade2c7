package jp.kairan.server.auth;

import io.micrometer.core.instrument.MeterRegistry;

/** The {@code kairan.logins} counter by outcome; counts nothing without a registry. Thread-safe. */
final class LoginCounts {
    private final MeterRegistry metrics;

    LoginCounts(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void count(String outcome) {
        if (metrics != null) {
            metrics.counter("kairan.logins", "outcome", outcome).increment();
        }
    }
}
