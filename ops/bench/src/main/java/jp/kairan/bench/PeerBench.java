package jp.kairan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import jp.kairan.protocol.Json;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The peer bench, one server per invocation: the same chat load on Kairan ({@code --target kairan}) or on ejabberd
 * ({@code --target ejabberd}), so the two can be set side by side ({@link PeerReport}). R rooms × S members, one
 * connection per member; the rate rises in steps, each measured on its own: send → deliver latency at receivers,
 * persisted messages/s, deliveries/s, loss, duplicates, order, errors, the CPU of server, database and driver. The
 * rate stops rising after the first step past the knee (p99 over {@code --knee-p99-ms}, or any loss or error).
 * Writes one JSON result; see {@code ops/bench/README.md} ("Peer benchmark").
 *
 * <p>Exit status: 0 when it ran (whatever the timings, and loss in a step past the knee is a finding, not a
 * failure); 1 when messages were lost or duplicated in a step before the knee; 2 when it could not run.
 */
@Command(name = "peer-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The same stepped chat load on Kairan or on ejabberd (XMPP over WebSocket, MUC + MAM);",
            "writes one JSON result for PeerReport."})
public final class PeerBench implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    enum Target { kairan, ejabberd }

    @Option(names = "--target", required = true, description = "kairan or ejabberd.")
    Target target;

    @Option(names = "--placement", defaultValue = "shared",
            description = "How processes were placed on the cores, for the report (default: ${DEFAULT-VALUE}).")
    String placement;

    @Option(names = "--rooms", defaultValue = "100", description = "Rooms (default ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--members", defaultValue = "20", description = "Members per room (default ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--senders-per-room", description = "Members of each room that send (default: all).")
    Integer sendersPerRoom;

    @Option(names = "--rates", split = ",", defaultValue = "250,500,750,1000,1250,1500,1750,2000,2500,3000",
            description = "Messages per second over all connections, one step each (default ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--warmup-seconds", defaultValue = "30",
            description = "Sending at the first rate before the first step, not reported (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--step-seconds", defaultValue = "20", description = "Length of a step (default ${DEFAULT-VALUE}).")
    int stepSeconds;

    @Option(names = "--step-warmup-seconds", defaultValue = "5",
            description = "First part of each step, not measured (default ${DEFAULT-VALUE}).")
    int stepWarmupSeconds;

    @Option(names = "--ramp-seconds", defaultValue = "20", description = "Connections open over this time (default ${DEFAULT-VALUE}).")
    int rampSeconds;

    @Option(names = "--settle-seconds", defaultValue = "5", description = "Quiet time after the ramp (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--drain-seconds", defaultValue = "15",
            description = "Time after the last send for deliveries to arrive (default ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--message-bytes", defaultValue = "200",
            description = "UTF-8 bytes of every message text, on both servers (default ${DEFAULT-VALUE}).")
    int messageBytes;

    @Option(names = "--knee-p99-ms", defaultValue = "100",
            description = "A step whose send → deliver p99 is over this, or that lost anything, is past the knee:"
                    + " no higher step is run (default ${DEFAULT-VALUE}).")
    double kneeP99Ms;

    @Option(names = "--all-steps", description = "Run every step, past the knee too.")
    boolean allSteps;

    @Option(names = "--server-pid", description = "Server process to measure.")
    Long serverPid;

    @Option(names = "--db-pid", description = "Database process to measure.")
    Long dbPid;

    @Option(names = "--count-rows", paramLabel = "SHELL_COMMAND",
            description = "Prints the number of messages the server has stored (run before and after, with bash -c).")
    String countRows;

    @Option(names = "--out", required = true, description = "The JSON result.")
    Path out;

    @Option(names = "--inbox-frames", defaultValue = "20000", description = "Gatling's unread frames per connection.")
    int inboxFrames;

    // Kairan

    @Option(names = "--base-url", description = "Kairan's HTTP API (default: ${DEFAULT-VALUE}).", defaultValue = "http://127.0.0.1:8080")
    URI baseUrl;

    @Option(names = "--gateway-url", description = "Kairan's WebSocket URL.")
    URI gatewayUrl;

    @CommandLine.Mixin
    OperatorOptions operatorOptions = new OperatorOptions();

    @Option(names = "--users-file", paramLabel = "FILE", description = "Kairan users and rooms to reuse, and to save.")
    Path usersFile;

    // ejabberd

    @Option(names = "--xmpp-url", description = "ejabberd's XMPP-over-WebSocket URL, e.g. ws://127.0.0.1:5443/ws.")
    URI xmppUrl;

    @Option(names = "--xmpp-api", description = "ejabberd's mod_http_api base, e.g. http://127.0.0.1:5443/api.")
    URI xmppApi;

    @Option(names = "--xmpp-domain", defaultValue = "bench.localhost", description = "XMPP domain (default ${DEFAULT-VALUE}).")
    String xmppDomain;

    @Option(names = "--setup-threads", defaultValue = "6", description = "Parallel provisioning (default ${DEFAULT-VALUE}).")
    int setupThreads;

    private final PrintStream log = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeerBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int senders = sendersPerRoom == null ? members : Math.min(members, sendersPerRoom);
        if (rooms < 1 || members < 1 || senders < 1 || rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0)
                || stepSeconds <= stepWarmupSeconds || messageBytes < 40) {
            throw new CommandLine.ParameterException(new CommandLine(this), "rooms, members, senders and rates must be"
                    + " positive, a step longer than its warm-up, and messages at least 40 bytes");
        }
        String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
        log.printf(Locale.ROOT, "peer bench — %s, placement %s, %s; run %s%n", target, placement, Instant.now(), runId);
        log.printf(Locale.ROOT, "%d connections = %d rooms × %d members (%d sending per room), %d-byte messages;"
                        + " steps of %d s (%d s warm-up) at %s msgs/s%n", rooms * members, rooms, members, senders,
                messageBytes, stepSeconds, stepWarmupSeconds, rates);

        StepLedger ledger = new StepLedger();
        List<PeerRun.Seat> seats = new ArrayList<>();
        ChatTarget chat;
        URI ws;
        try {
            if (target == Target.kairan) {
                chat = new KairanChat(ledger);
                ws = provisionKairan(runId, senders, ledger, seats);
            } else {
                if (xmppUrl == null || xmppApi == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--xmpp-url and --xmpp-api are needed");
                }
                chat = new XmppChat(ledger, xmppDomain);
                ws = xmppUrl;
                List<XmppProvisioning.Room> provisioned = new XmppProvisioning(xmppApi, xmppDomain, log, setupThreads * 4)
                        .create(rooms, members);
                for (XmppProvisioning.Room room : provisioned) {
                    StepLedger.Room lr = ledger.room(room.jid(), members);
                    for (int i = 0; i < room.members().size(); i++) {
                        seats.add(new PeerRun.Seat(seats.size(), i, room.jid(), room.members().get(i), i < senders,
                                lr.member(i)));
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("peer-bench: setup failed: " + e.getMessage());
            return 2;
        }

        PeerRun run = new PeerRun(chat, ws, seats, rates, Duration.ofSeconds(rampSeconds),
                Duration.ofSeconds(settleSeconds), Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(stepSeconds), Duration.ofSeconds(stepWarmupSeconds),
                Duration.ofSeconds(drainSeconds), messageBytes, inboxFrames, runId, ledger);
        run.install();

        Map<String, Long> pids = new LinkedHashMap<>();
        if (serverPid != null) {
            pids.put("server", serverPid);
        }
        if (dbPid != null) {
            pids.put("database", dbPid);
        }
        pids.put("driver", ProcessHandle.current().pid());
        Long rowsBefore = countRows();
        Monitor monitor = new Monitor(run, pids);
        monitor.sample("before");
        Thread watcher = new Thread(monitor, "peer-bench-monitor");
        watcher.setDaemon(true);
        watcher.start();

        Path gatlingDir = out.toAbsolutePath().getParent().resolve("gatling-" + target + "-" + placement);
        Files.createDirectories(gatlingDir);
        int gatlingStatus = io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"-s", PeerSimulation.class.getName(),
            "-rf", gatlingDir.toString(), "-rd", "peer bench " + target + " " + runId, "-nr"});
        watcher.interrupt();
        monitor.sample("after");
        Long rowsAfter = countRows();

        Map<String, Object> result = result(run, senders, monitor, gatlingStatus, rowsBefore, rowsAfter);
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), result);
        log.println("result written to " + out);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) result.get("steps");
        for (Map<String, Object> s : steps) {
            log.printf(Locale.ROOT, "  %6.0f msgs/s offered: persisted %8.1f/s, deliveries %9.1f/s, deliver p50 %7.1f"
                            + " p99 %8.1f p99.9 %8.1f ms, missing %d, dup %d, order %d, errors %d, server %.2f cores%s%n",
                    s.get("offeredPerSecond"), s.get("persistedPerSecond"), s.get("deliveriesPerSecond"),
                    s.get("deliverP50Ms"), s.get("deliverP99Ms"), s.get("deliverP999Ms"), s.get("missing"),
                    s.get("duplicates"), s.get("orderViolations"), s.get("errors"),
                    ((Map<?, ?>) s.get("cores")).get("server") instanceof Double d ? d : 0.0,
                    Boolean.TRUE.equals(s.get("complete")) ? "" : " (cut short)");
        }
        log.println("knee: " + result.get("knee"));
        long[] conns = ledger.connections();
        if (conns[0] + conns[1] == 0 || ledger.acked() == 0) {
            System.err.println("peer-bench: FAILED to run: no connection entered its room, or nothing was stored");
            return 2;
        }
        if (Boolean.TRUE.equals(result.get("lossBeforeKnee"))) {
            System.err.println("peer-bench: FAILED: messages lost or duplicated below the knee");
            return 1;
        }
        return 0;
    }

    private URI provisionKairan(String runId, int senders, StepLedger ledger, List<PeerRun.Seat> seats)
            throws IOException {
        ExecutorService httpThreads = Executors.newFixedThreadPool(Math.max(4, setupThreads), r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        try {
            Api api = new Api(baseUrl, Duration.ofSeconds(30), httpThreads);
            if (api.status("/health/ready") != 200) {
                throw new IllegalStateException(baseUrl + "/health/ready is not 200");
            }
            Provisioning provisioning = new Provisioning(api, log, setupThreads);
            Instant needUntil = Instant.now().plus(Duration.ofSeconds((long) rampSeconds + settleSeconds
                    + (long) stepSeconds * rates.size() + drainSeconds)).plus(Duration.ofMinutes(5));
            List<Provisioning.Room> provisioned = usersFile == null ? null
                    : provisioning.reuse(usersFile, rooms, members, needUntil).orElse(null);
            if (provisioned == null) {
                provisioned = provisioning.create(operatorOptions.operator(new CommandLine(this)), runId, rooms, members);
            }
            if (usersFile != null) {
                provisioning.save(usersFile, provisioned);
            }
            for (Provisioning.Room room : provisioned) {
                StepLedger.Room lr = ledger.room(room.id(), members);
                for (int i = 0; i < room.members().size(); i++) {
                    seats.add(new PeerRun.Seat(seats.size(), i, room.id(), room.members().get(i), i < senders,
                            lr.member(i)));
                }
            }
            return gatewayUrl != null ? gatewayUrl
                    : URI.create("ws://" + baseUrl.getHost() + ":" + api.get("/client-config").path("gatewayPort").asInt(8081) + "/ws");
        } finally {
            httpThreads.shutdownNow();
        }
    }

    private Long countRows() {
        if (countRows == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("bash", "-c", countRows).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                log.println("peer-bench: --count-rows failed: " + text);
                return null;
            }
            return Long.parseLong(text.lines().reduce((a, b) -> b).orElse("").strip());
        } catch (IOException | NumberFormatException e) {
            log.println("peer-bench: --count-rows failed: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Samples the processes at the run's moments (before, connected, each step's measured part) and stops the
     * rate from rising once a step is past the knee, judged three seconds after the step ends.
     */
    private final class Monitor implements Runnable {
        private final PeerRun run;
        private final Map<String, Long> pids;
        private final Map<String, Map<String, ProcessStats>> samples = new LinkedHashMap<>();
        private volatile int kneeStep = -1;
        private volatile String kneeReason;

        Monitor(PeerRun run, Map<String, Long> pids) {
            this.run = run;
            this.pids = pids;
        }

        synchronized void sample(String moment) {
            Map<String, ProcessStats> now = new LinkedHashMap<>();
            pids.forEach((name, pid) -> {
                try {
                    now.put(name, ProcessStats.sample(pid));
                } catch (RuntimeException e) {
                    // gone: left out
                }
            });
            samples.put(moment, now);
        }

        synchronized Map<String, ProcessStats> at(String moment) {
            return samples.getOrDefault(moment, Map.of());
        }

        @Override
        public void run() {
            try {
                while (run.startMillis() == 0) {
                    Thread.sleep(50);
                }
                sleepUntil(run.sendStartMillis() - 1000);
                sample("connected");
                for (StepLedger.Step step : run.ledger.steps()) {
                    sleepUntil(step.measureFromMicros / 1000);
                    if (run.stopped()) {
                        return;
                    }
                    sample("from" + step.index);
                    sleepUntil(step.endMicros / 1000);
                    sample("to" + step.index);
                    if (allSteps || kneeStep >= 0 || step.warmup) {
                        continue;
                    }
                    sleepUntil(step.endMicros / 1000 + 3000);
                    String reason = pastKnee(step);
                    if (reason != null) {
                        kneeStep = step.index;
                        kneeReason = reason;
                        log.printf(Locale.ROOT, "step %d (%s msgs/s) is past the knee: %s; sending stops%n",
                                step.index, LoginBench.fmt(step.offeredPerSecond), reason);
                        run.stop(System.currentTimeMillis());
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String pastKnee(StepLedger.Step step) {
            double p99 = step.deliverSoFar().getValueAtPercentile(99) / 1000.0;
            if (p99 > kneeP99Ms) {
                return String.format(Locale.ROOT, "deliver p99 %.1f ms > %s ms", p99, LoginBench.fmt(kneeP99Ms));
            }
            long unacked = step.sent.sum() - step.acked.sum();
            if (unacked > 0) {
                return unacked + " messages not stored 3 s after the step";
            }
            if (step.errors.sum() > 0) {
                return step.errors.sum() + " errors";
            }
            StepLedger.Loss loss = run.ledger.loss();
            if (loss.missing()[step.index] > 0) {
                return loss.missing()[step.index] + " deliveries missing 3 s after the step";
            }
            return null;
        }

        private void sleepUntil(long epochMillis) throws InterruptedException {
            long wait = epochMillis - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
    }

    private Map<String, Object> result(PeerRun run, int senders, Monitor monitor, int gatlingStatus, Long rowsBefore,
                                       Long rowsAfter) {
        StepLedger ledger = run.ledger;
        StepLedger.Loss loss = ledger.loss();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", target.name());
        r.put("placement", placement);
        r.put("at", Instant.now().toString());
        r.put("runId", run.runId);
        r.put("java", System.getProperty("java.version"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connections", rooms * members);
        params.put("rooms", rooms);
        params.put("membersPerRoom", members);
        params.put("sendersPerRoom", senders);
        params.put("messageBytes", messageBytes);
        params.put("rates", rates);
        params.put("warmupSeconds", warmupSeconds);
        params.put("stepSeconds", stepSeconds);
        params.put("stepWarmupSeconds", stepWarmupSeconds);
        params.put("rampSeconds", rampSeconds);
        params.put("drainSeconds", drainSeconds);
        params.put("kneeP99Ms", kneeP99Ms);
        r.put("params", params);
        long[] conns = ledger.connections();
        r.put("connections", Map.of("ready", conns[0], "late", conns[1], "neverReady", conns[2], "lostDuringRun", conns[3]));
        Histogram ready = ledger.readyMicros();
        r.put("connectToReadyMs", Map.of("p50", ms(ready, 50), "p99", ms(ready, 99), "max", ready.getMaxValue() / 1000.0));

        Map<String, ProcessStats> before = monitor.at("before");
        Map<String, ProcessStats> connected = monitor.at("connected");
        Map<String, Object> memory = new LinkedHashMap<>();
        for (String proc : List.of("server", "database")) {
            ProcessStats b = before.get(proc);
            ProcessStats c = connected.get(proc);
            if (b != null && c != null) {
                memory.put(proc + "RssBeforeMiB", b.rssKib() / 1024.0);
                memory.put(proc + "RssConnectedMiB", c.rssKib() / 1024.0);
                memory.put(proc + "KibPerConnection", (c.rssKib() - b.rssKib()) / (double) Math.max(1, conns[0] + conns[1]));
            }
        }
        ProcessStats serverAfter = monitor.at("after").get("server");
        if (serverAfter != null) {
            memory.put("serverPeakRssMiB", serverAfter.peakRssKib() / 1024.0);
        }
        r.put("memory", memory);

        List<Map<String, Object>> steps = new ArrayList<>();
        int knee = -1;
        int best50 = -1;
        boolean lossBeforeKnee = false;
        boolean passed = false;
        long windowSeconds = stepSeconds - stepWarmupSeconds;
        for (StepLedger.Step step : ledger.steps()) {
            Map<String, ProcessStats> from = monitor.at("from" + step.index);
            Map<String, ProcessStats> to = monitor.at("to" + step.index);
            if (from.isEmpty()) {
                break; // never ran
            }
            boolean complete = !to.isEmpty() && step.endMicros / 1000 <= run.sendEndMillis();
            if (step.warmup) {
                long lost = loss.missing()[step.index] + loss.unacked()[step.index] + step.duplicates.sum();
                r.put("warmup", Map.of("seconds", warmupSeconds, "offeredPerSecond", step.offeredPerSecond,
                        "sent", step.sent.sum(), "missingNotStoredOrDuplicate", lost, "errors", step.errors.sum()));
                lossBeforeKnee |= lost > 0;
                continue;
            }
            Histogram deliver = step.deliverSoFar();
            Histogram ack = step.ackSoFar();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", step.index);
            s.put("offeredPerSecond", step.offeredPerSecond);
            s.put("complete", complete);
            s.put("sentPerSecond", step.sentMeasured.sum() / (double) windowSeconds);
            s.put("persistedPerSecond", step.ackedMeasured.sum() / (double) windowSeconds);
            s.put("deliveriesPerSecond", step.deliveredMeasured.sum() / (double) windowSeconds);
            s.put("expectedDeliveriesPerSecond", step.sentMeasured.sum() * members / (double) windowSeconds);
            s.put("deliverP50Ms", ms(deliver, 50));
            s.put("deliverP99Ms", ms(deliver, 99));
            s.put("deliverP999Ms", ms(deliver, 99.9));
            s.put("deliverMaxMs", deliver.getMaxValue() / 1000.0);
            s.put("storedP50Ms", ms(ack, 50));
            s.put("storedP99Ms", ms(ack, 99));
            s.put("storedP999Ms", ms(ack, 99.9));
            s.put("missing", loss.missing()[step.index]);
            s.put("messagesWithLoss", loss.messagesWithLoss()[step.index]);
            s.put("notStored", loss.unacked()[step.index]);
            s.put("duplicates", step.duplicates.sum());
            s.put("orderViolations", step.orderViolations.sum());
            s.put("errors", step.errors.sum());
            Map<String, Object> cores = new LinkedHashMap<>();
            for (String proc : List.of("server", "database", "driver")) {
                if (from.containsKey(proc) && to.containsKey(proc)) {
                    cores.put(proc, to.get(proc).coresSince(from.get(proc)));
                }
            }
            s.put("cores", cores);
            steps.add(s);
            boolean clean = loss.missing()[step.index] == 0 && loss.unacked()[step.index] == 0
                    && step.duplicates.sum() == 0 && step.orderViolations.sum() == 0 && step.errors.sum() == 0;
            double p99 = ms(deliver, 99);
            if (!complete) {
                continue;
            }
            if (!passed && clean && p99 <= kneeP99Ms) {
                knee = steps.size() - 1;
                if (p99 <= 50) {
                    best50 = steps.size() - 1;
                }
            } else {
                if (!passed && !clean && p99 <= kneeP99Ms) {
                    lossBeforeKnee = true;
                }
                passed = true;
            }
        }
        r.put("steps", steps);
        Map<String, Object> kneeOut = new LinkedHashMap<>();
        kneeOut.put("lastGoodStep", knee);
        kneeOut.put("offeredPerSecond", knee < 0 ? null : steps.get(knee).get("offeredPerSecond"));
        kneeOut.put("persistedPerSecond", knee < 0 ? null : steps.get(knee).get("persistedPerSecond"));
        kneeOut.put("stoppedBy", monitor.kneeReason);
        kneeOut.put("reachedLastStep", monitor.kneeStep < 0);
        r.put("knee", kneeOut);
        Map<String, Object> at50 = new LinkedHashMap<>();
        at50.put("step", best50);
        at50.put("persistedPerSecond", best50 < 0 ? null : steps.get(best50).get("persistedPerSecond"));
        r.put("bestAtP99Under50Ms", at50);
        r.put("lossBeforeKnee", lossBeforeKnee);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("sent", ledger.sent());
        totals.put("stored", ledger.acked());
        totals.put("rowsBefore", rowsBefore);
        totals.put("rowsAfter", rowsAfter);
        totals.put("rowsAdded", rowsBefore == null || rowsAfter == null ? null : rowsAfter - rowsBefore);
        totals.put("missingAtLostConnections", loss.missingAtLost());
        totals.put("foreignRoom", ledger.foreign());
        totals.put("unreadableFrames", ledger.unreadableFrames());
        totals.put("errors", ledger.errors());
        totals.put("otherFrames", ledger.otherFrames());
        totals.put("gatlingStatus", gatlingStatus);
        r.put("totals", totals);
        return r;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
