package jp.kairan.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one phase measured. Latencies are of successful logins (password step plus TOTP step),
 * measured from the time each login was <em>scheduled</em> to start, so a server that stalls is
 * charged for the logins that queued behind the stall (no coordinated omission).
 */
record PhaseResult(Phase phase, long scheduled, long sent, long ok, long okInWindow, Histogram latencyMicros,
        Histogram passwordStepMicros, Histogram otpStepMicros, Map<String, Long> errors, long maxSendLagMicros,
        double drainSeconds) {

    /** Successful logins completed within the phase's window, per second of the window. */
    double achievedPerSecond() {
        return okInWindow / (double) phase.seconds();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    double percentileMillis(double percentile) {
        return percentileMillis(latencyMicros, percentile);
    }

    static double percentileMillis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
    }

    /**
     * Sustainable: under 1% errors, at least 90% of the offered rate completed within the window,
     * and p99 within the objective.
     */
    boolean sustainable(double sloP99Millis) {
        return scheduled > 0
                && errorCount() < 0.01 * scheduled
                && achievedPerSecond() >= 0.9 * phase.rate()
                && percentileMillis(99) <= sloP99Millis;
    }

    /** So far beyond capacity that higher ramp steps would tell nothing new. */
    boolean saturated() {
        return errorCount() > 0.5 * scheduled
                || achievedPerSecond() < 0.5 * phase.rate()
                || percentileMillis(99) > 10_000;
    }

    Map<String, Object> toJson(double sloP99Millis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase.name());
        m.put("kind", phase.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("offeredPerSecond", phase.rate());
        m.put("seconds", phase.seconds());
        m.put("scheduled", scheduled);
        m.put("sent", sent);
        m.put("ok", ok);
        m.put("achievedPerSecond", achievedPerSecond());
        m.put("p50Millis", percentileMillis(50));
        m.put("p90Millis", percentileMillis(90));
        m.put("p99Millis", percentileMillis(99));
        m.put("maxMillis", maxMillis());
        m.put("maxSendLagMillis", maxSendLagMicros / 1000.0);
        m.put("passwordStepP50Millis", percentileMillis(passwordStepMicros, 50));
        m.put("passwordStepP99Millis", percentileMillis(passwordStepMicros, 99));
        m.put("otpStepP50Millis", percentileMillis(otpStepMicros, 50));
        m.put("otpStepP99Millis", percentileMillis(otpStepMicros, 99));
        m.put("errors", new TreeMap<>(errors));
        m.put("sustainable", sustainable(sloP99Millis));
        return m;
    }
}
