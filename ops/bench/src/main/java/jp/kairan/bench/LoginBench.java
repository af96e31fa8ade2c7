package jp.kairan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Login benchmark: how many complete sign-ins (password, then TOTP) per second one Kairan server
 * sustains, and at what latency. See {@code ops/bench/README.md}.
 */
@Command(name = "login-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures sign-ins (POST /auth/login + POST /auth/otp with TOTP) against a running Kairan server.",
            "Open model: logins start on a fixed schedule; latency counts from the scheduled start."})
public final class LoginBench implements Callable<Integer> {

    @Option(names = "--base-url", description = "Server under test (default: ${DEFAULT-VALUE}). Loopback only.",
            defaultValue = "http://127.0.0.1:8080")
    URI baseUrl;

    @CommandLine.Mixin
    OperatorOptions operatorOptions = new OperatorOptions();

    @Option(names = "--users", description = "Bench users to create (default: enough that none signs in twice per TOTP step).")
    Integer users;

    @Option(names = "--rates", split = ",", paramLabel = "PER_SECOND",
            description = "Ramp: offered logins per second, one step each (default 5,10,15,20,30,40,50,60; smoke 5,10).")
    List<Double> rates;

    @Option(names = "--duration-seconds", description = "Length of each ramp step (default 10; smoke 3).")
    Integer durationSeconds;

    @Option(names = "--fixed-rate", description = "Rate of the fixed phase after the ramp (default 30; smoke 10; 0 = none).")
    Double fixedRate;

    @Option(names = "--fixed-seconds", description = "Length of the fixed phase (default 60; smoke 3).")
    Integer fixedSeconds;

    @Option(names = "--warmup-seconds", description = "Unjudged warm-up at the first ramp rate (default 10; smoke 2; 0 = none).")
    Integer warmupSeconds;

    @Option(names = "--pause-seconds", description = "Quiet time between phases (default 2; smoke 1).")
    Integer pauseSeconds;

    @Option(names = "--slo-p99-ms", defaultValue = "1000",
            description = "p99 a rate must meet to count as sustainable (default ${DEFAULT-VALUE} ms).")
    double sloP99Millis;

    @Option(names = "--timeout-seconds", defaultValue = "10", description = "Per-request timeout (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--max-in-flight", defaultValue = "2000",
            description = "Logins in flight before new ones are counted as bench_in_flight_limit (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--setup-threads", defaultValue = "4", description = "Parallel user set-up (default ${DEFAULT-VALUE}).")
    int setupThreads;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path jsonOut;

    @Option(names = "--smoke", description = "A tiny run (about 20 s) to check that the bench and the server work.")
    boolean smoke;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoginBench()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<Phase> plan = plan();
        int pause = orDefault(pauseSeconds, 2, 1);
        int userCount = users != null ? users : Phase.usersNeeded(plan, pause);
        Account operator = operatorOptions.operator(new CommandLine(this));

        ExecutorService httpThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        try {
            Api api = new Api(baseUrl, Duration.ofSeconds(timeoutSeconds), httpThreads);
            printHeader(plan, userCount);
            int ready = api.status("/health/ready");
            if (ready != 200) {
                System.err.println("login-bench: " + baseUrl + "/health/ready answered " + ready + ", not 200");
                return 2;
            }

            String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
            Setup setup = new Setup(api, out, setupThreads);
            Setup.Org org;
            UserPool pool = new UserPool(List.of());
            try {
                org = setup.prepare(operator, runId);
            } catch (RuntimeException e) {
                System.err.println("login-bench: setup failed: " + e.getMessage());
                return 2;
            }

            PhaseRunner runner = new PhaseRunner(api, pool, maxInFlight, timeoutSeconds);
            List<PhaseResult> results = new ArrayList<>();
            boolean rampStopped = false;
            List<Phase> ran = new ArrayList<>();
            for (Phase phase : plan) {
                if (rampStopped && phase.kind() == Phase.Kind.RAMP) {
                    continue;
                }
                ran.add(phase);
                // Users are added between phases as the phases run so far need them, so a ramp that
                // stops early does not pay for the users of the rates it never ran. A smoke run is
                // small: all at once.
                int needed = users != null ? users : Phase.usersNeeded(smoke ? plan : ran, pause);
                if (pool.size() < needed) {
                    try {
                        List<Account> added = org.addUsers(needed - pool.size());
                        pool.addAll(added);
                        awaitUsableUsers(pool, phase);
                    } catch (RuntimeException e) {
                        System.err.println("login-bench: setup failed: " + e.getMessage());
                        return 2;
                    }
                }
                out.printf("running %s: %s logins/s for %d s with %d users ...%n", phase.name(), fmt(phase.rate()),
                        phase.seconds(), pool.size());
                PhaseResult r = runner.run(phase);
                results.add(r);
                out.println("  " + Report.line(r));
                if (phase.kind() == Phase.Kind.RAMP && r.saturated()) {
                    rampStopped = true;
                    out.println("  saturated: skipping the higher ramp steps");
                }
                sleepSeconds(pause);
            }

            out.println();
            Report.print(out, results, sloP99Millis);
            if (jsonOut != null) {
                writeJson(results, pool.size());
            }
            long totalOk = results.stream().mapToLong(PhaseResult::ok).sum();
            return totalOk > 0 ? 0 : 3;
        } finally {
            httpThreads.shutdownNow();
        }
    }

    /**
     * New users enrolled with the current TOTP step, and the server accepts a step once per user,
     * so they can sign in only from the next step on. Waits for it (at most 30 s) unless the users
     * already usable cover the phase until then.
     */
    private void awaitUsableUsers(UserPool pool, Phase phase) {
        long now = System.currentTimeMillis();
        long step = Account.currentStep();
        double untilNextStep = ((step + 1) * 30_000L - now) / 1000.0;
        double neededBefore = phase.rate() * Math.min(phase.seconds(), untilNextStep + 1) * 1.2;
        if (pool.usable(step) < neededBefore) {
            out.printf(Locale.ROOT, "setup: waiting %.1f s for the next 30-s TOTP step (the new users enrolled with this one)%n",
                    untilNextStep);
            try {
                Thread.sleep((long) (untilNextStep * 1000) + 100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.println();
    }

    private List<Phase> plan() {
        List<Double> ramp = rates != null ? rates : smoke ? List.of(5.0, 10.0) : List.of(5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0);
        int step = orDefault(durationSeconds, 10, 3);
        double fixed = fixedRate != null ? fixedRate : smoke ? 10 : 30;
        int fixedLength = orDefault(fixedSeconds, 60, 3);
        int warmup = orDefault(warmupSeconds, 10, 2);
        List<Phase> plan = new ArrayList<>();
        if (warmup > 0 && !ramp.isEmpty()) {
            plan.add(new Phase("warm-up", Phase.Kind.WARMUP, ramp.get(0), warmup));
        }
        for (double rate : ramp) {
            plan.add(new Phase("ramp " + fmt(rate) + "/s", Phase.Kind.RAMP, rate, step));
        }
        if (fixed > 0) {
            plan.add(new Phase("fixed " + fmt(fixed) + "/s", Phase.Kind.FIXED, fixed, fixedLength));
        }
        if (plan.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "Nothing to run: no rates and no fixed phase");
        }
        return plan;
    }

    private void printHeader(List<Phase> plan, int userCount) {
        Runtime rt = Runtime.getRuntime();
        out.printf("Kairan login bench — %s%n", Instant.now());
        out.printf("server %s; bench on Java %s (%s), %d cores; up to %d bench users, added as the plan needs them%n", baseUrl,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.availableProcessors(), userCount);
        StringBuilder s = new StringBuilder("plan:");
        for (Phase p : plan) {
            s.append(' ').append(p.name()).append(" × ").append(p.seconds()).append(" s;");
        }
        out.println(s);
        out.printf("a login = POST /api/v1/auth/login + POST /api/v1/auth/otp (totp); latency from its scheduled start%n%n");
    }

    private void writeJson(List<PhaseResult> results, int userCount) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bench", "login");
        doc.put("at", Instant.now().toString());
        doc.put("baseUrl", baseUrl.toString());
        doc.put("javaVersion", System.getProperty("java.version"));
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("users", userCount);
        doc.put("sloP99Millis", sloP99Millis);
        doc.put("maxSustainablePerSecond", Report.maxSustainable(results, sloP99Millis));
        List<Map<String, Object>> phases = new ArrayList<>();
        for (PhaseResult r : results) {
            phases.add(r.toJson(sloP99Millis));
        }
        doc.put("phases", phases);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonOut.toFile(), doc);
        out.println("results written to " + jsonOut);
    }

    private int orDefault(Integer value, int normal, int smokeValue) {
        return value != null ? value : smoke ? smokeValue : normal;
    }

    static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    private static void sleepSeconds(int seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
