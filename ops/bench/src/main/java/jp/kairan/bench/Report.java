package jp.kairan.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The text report: one row per phase, errors by code, and the highest sustainable rate. */
final class Report {
    private static final String HEADER = String.format(Locale.ROOT, "%-12s %9s %6s %6s %10s %8s %8s %8s %8s %9s  %s",
            "phase", "offered/s", "sent", "ok", "achieved/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "lag ms", "errors");

    private Report() {
    }

    static void print(PrintStream out, List<PhaseResult> results, double sloP99Millis) {
        out.println(HEADER);
        for (PhaseResult r : results) {
            out.println(line(r));
        }
        out.println();
        out.println("response time of each request (send to answer, not from the schedule):");
        out.println(String.format(Locale.ROOT, "%-12s %14s %14s %14s %14s", "phase",
                "password p50", "password p99", "otp p50", "otp p99"));
        for (PhaseResult r : results) {
            out.println(String.format(Locale.ROOT, "%-12s %14.1f %14.1f %14.1f %14.1f", r.phase().name(),
                    PhaseResult.percentileMillis(r.passwordStepMicros(), 50),
                    PhaseResult.percentileMillis(r.passwordStepMicros(), 99),
                    PhaseResult.percentileMillis(r.otpStepMicros(), 50),
                    PhaseResult.percentileMillis(r.otpStepMicros(), 99)));
        }
        out.println();
        double best = maxSustainable(results, sloP99Millis);
        out.printf(Locale.ROOT, "max sustainable rate in the ramp: %s (errors < 1%%, achieved >= 90%% of offered, p99 <= %.0f ms)%n",
                best > 0 ? LoginBench.fmt(best) + " logins/s" : "none of the ramp steps", sloP99Millis);
        out.println("lag = how late the bench itself started a login (max); latencies include it, as they should.");
        boolean rateLimited = results.stream().anyMatch(r -> r.errors().containsKey("rate_limited"));
        if (rateLimited) {
            out.println("note: rate_limited means the server's per-address sign-in limit, not capacity: raise "
                    + "auth.ip-attempts-per-minute (KAIRAN_AUTH_IP_ATTEMPTS_PER_MINUTE) on the server under test.");
        }
        if (results.stream().anyMatch(r -> r.errors().containsKey("no_free_user"))) {
            out.println("note: no_free_user means too few bench users for the rate (one sign-in per user per "
                    + "30-s TOTP step): raise --users.");
        }
    }

    static String line(PhaseResult r) {
        return String.format(Locale.ROOT, "%-12s %9s %6d %6d %10.1f %8.1f %8.1f %8.1f %8.1f %9.1f  %s",
                r.phase().name(), LoginBench.fmt(r.phase().rate()), r.sent(), r.ok(), r.achievedPerSecond(),
                r.percentileMillis(50), r.percentileMillis(90), r.percentileMillis(99), r.maxMillis(),
                r.maxSendLagMicros() / 1000.0, errors(r.errors()));
    }

    static double maxSustainable(List<PhaseResult> results, double sloP99Millis) {
        return results.stream()
                .filter(r -> r.phase().kind() == Phase.Kind.RAMP && r.sustainable(sloP99Millis))
                .mapToDouble(r -> r.phase().rate())
                .max().orElse(0);
    }

    private static String errors(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "-";
        }
        return errors.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
