package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Gateway benchmark: many WebSocket connections in group rooms, messages at a fixed total rate, and what the
 * server makes of them: acks and deliveries per second, send→ack and send→deliver latency, loss, duplicates and
 * order per room, errors by code, and the server's CPU and memory. Provisions users and rooms over the HTTP API,
 * then drives the gateway with Gatling ({@link GatewaySimulation}) in this JVM. See {@code ops/bench/README.md}.
 *
 * <p>Exit status: 0 when every acked message reached every member exactly once; 1 on loss or duplicates; 2 when
 * the bench could not run (setup failed, no connection authenticated, nothing acked).
 */
@Command(name = "gateway-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drives the WebSocket gateway of a running Kairan server: R rooms × S members, one connection",
            "per member, messages at a fixed total rate (open model); reports rates, latencies, loss, duplicates,",
            "order and the server's CPU and RSS."})
public final class GatewayBench implements Callable<Integer> {

    /** The presets: connections = rooms × members. */
    enum Preset {
        CI(10, 20, 100, 5, 20, 5),
        SMOKE(100, 20, 500, 10, 60, 10),
        HEADLINE(500, 20, 2000, 20, 120, 50);

        final int rooms;
        final int members;
        final double rate;
        final int warmupSeconds;
        final int durationSeconds;
        final int rampSeconds;

        Preset(int rooms, int members, double rate, int warmupSeconds, int durationSeconds, int rampSeconds) {
            this.rooms = rooms;
            this.members = members;
            this.rate = rate;
            this.warmupSeconds = warmupSeconds;
            this.durationSeconds = durationSeconds;
            this.rampSeconds = rampSeconds;
        }
    }

    @Option(names = "--base-url", description = "Server's HTTP API (default: ${DEFAULT-VALUE}). Loopback only.",
            defaultValue = "http://127.0.0.1:8080")
    URI baseUrl;

    @Option(names = "--gateway-url", description = "WebSocket URL (default: from GET /api/v1/client-config).")
    URI gatewayUrl;

    @CommandLine.Mixin
    OperatorOptions operatorOptions = new OperatorOptions();

    @Option(names = "--ci", description = "Preset: 200 connections (10 rooms × 20), 100 msgs/s, 5 + 20 s.")
    boolean ci;

    @Option(names = "--smoke", description = "Preset: 2,000 connections (100 × 20), 500 msgs/s, 10 + 60 s (the default).")
    boolean smoke;

    @Option(names = "--headline", description = "Preset: 10,000 connections (500 × 20), 2,000 msgs/s, 20 + 120 s.")
    boolean headline;

    @Option(names = "--rooms", description = "Group rooms (default: the preset's).")
    Integer rooms;

    @Option(names = "--members", description = "Members per room, one connection each (default: the preset's).")
    Integer members;

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Messages per second over all connections.")
    Double rate;

    @Option(names = "--senders-per-room",
            description = "Members of each room that send; the others only receive (default: all of them).")
    Integer sendersPerRoom;

    @Option(names = "--warmup-seconds", description = "Sending before measuring.")
    Integer warmupSeconds;

    @Option(names = "--duration-seconds", description = "Measured sending.")
    Integer durationSeconds;

    @Option(names = "--ramp-seconds", description = "Connections open evenly over this time.")
    Integer rampSeconds;

    @Option(names = "--settle-seconds", defaultValue = "5", description = "Quiet time after the ramp (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--drain-seconds", defaultValue = "10",
            description = "Time after the last send for deliveries to arrive (default ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--server-pid", description = "Server process to measure (CPU, RSS, threads, open files).")
    Long serverPid;

    @Option(names = "--db-pid", description = "Database process to measure, too.")
    Long dbPid;

    @Option(names = "--users-file", paramLabel = "FILE",
            description = "Save the provisioned users and rooms here, and reuse them next time against the same server.")
    Path usersFile;

    @Option(names = "--out-dir", defaultValue = "target/gateway-bench",
            description = "summary.json, summary.md and Gatling's results (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--setup-threads", defaultValue = "6", description = "Parallel provisioning (default ${DEFAULT-VALUE}).")
    int setupThreads;

    @Option(names = "--inbox-frames", defaultValue = "20000",
            description = "Gatling's buffer of unread frames per connection (default ${DEFAULT-VALUE}).")
    int inboxFrames;

    @Option(names = "--no-html", description = "Skip Gatling's HTML report.")
    boolean noHtml;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayBench()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Preset preset = headline ? Preset.HEADLINE : ci ? Preset.CI : Preset.SMOKE;
        int roomCount = rooms != null ? rooms : preset.rooms;
        int memberCount = members != null ? members : preset.members;
        double msgsPerSecond = rate != null ? rate : preset.rate;
        Duration warmup = Duration.ofSeconds(warmupSeconds != null ? warmupSeconds : preset.warmupSeconds);
        Duration duration = Duration.ofSeconds(durationSeconds != null ? durationSeconds : preset.durationSeconds);
        Duration ramp = Duration.ofSeconds(rampSeconds != null ? rampSeconds : preset.rampSeconds);
        Duration settle = Duration.ofSeconds(settleSeconds);
        Duration drain = Duration.ofSeconds(drainSeconds);
        int connections = roomCount * memberCount;
        int senders = sendersPerRoom != null ? Math.min(sendersPerRoom, memberCount) : memberCount;
        if (roomCount < 1 || memberCount < 1 || senders < 1 || msgsPerSecond <= 0 || duration.isZero()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "rooms, members, senders per room, rate and duration must be positive");
        }
        String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("preset", rooms == null && members == null && rate == null && sendersPerRoom == null
                ? preset.name().toLowerCase(Locale.ROOT) : "custom");
        params.put("connections", connections);
        params.put("rooms", roomCount);
        params.put("membersPerRoom", memberCount);
        params.put("sendersPerRoom", senders);
        params.put("targetMsgsPerSecond", msgsPerSecond);
        params.put("sendIntervalSeconds", roomCount * senders / msgsPerSecond);
        params.put("rampSeconds", ramp.toSeconds());
        params.put("warmupSeconds", warmup.toSeconds());
        params.put("durationSeconds", duration.toSeconds());
        params.put("drainSeconds", drain.toSeconds());
        out.printf(Locale.ROOT, "Kairan gateway bench — %s; run %s%n", Instant.now(), runId);
        out.printf(Locale.ROOT, "%d connections = %d rooms × %d members, %d sending per room; %s msgs/s in total (each"
                        + " sender one every %.2f s); ramp %d s, warm-up %d s, measured %d s, drain %d s%n", connections,
                roomCount, memberCount, senders, LoginBench.fmt(msgsPerSecond), roomCount * senders / msgsPerSecond,
                ramp.toSeconds(), warmup.toSeconds(), duration.toSeconds(), drain.toSeconds());

        ExecutorService httpThreads = Executors.newFixedThreadPool(Math.max(4, setupThreads), r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        List<Provisioning.Room> provisioned;
        URI gateway;
        try {
            Api api = new Api(baseUrl, Duration.ofSeconds(30), httpThreads);
            int ready = api.status("/health/ready");
            if (ready != 200) {
                System.err.println("gateway-bench: " + baseUrl + "/health/ready answered " + ready + ", not 200");
                return 2;
            }
            gateway = gatewayUrl != null ? gatewayUrl : gatewayFromClientConfig(api);
            out.println("gateway " + gateway);
            Provisioning provisioning = new Provisioning(api, out, setupThreads);
            Instant needUntil = Instant.now().plus(ramp).plus(settle).plus(warmup).plus(duration).plus(drain)
                    .plus(Duration.ofMinutes(5));
            Optional<List<Provisioning.Room>> reused = usersFile == null ? Optional.empty()
                    : provisioning.reuse(usersFile, roomCount, memberCount, needUntil);
            provisioned = reused.isPresent() ? reused.get()
                    : provisioning.create(operatorOptions.operator(new CommandLine(this)), runId, roomCount, memberCount);
            if (usersFile != null) {
                provisioning.save(usersFile, provisioned);
                out.println("setup: users and rooms saved to " + usersFile + " (passwords and tokens: keep it private)");
            }
            Instant firstExpiry = provisioned.stream().flatMap(r -> r.members().stream())
                    .map(a -> a.accessTokenExpiresAt).filter(java.util.Objects::nonNull).min(Instant::compareTo)
                    .orElse(Instant.MAX);
            if (firstExpiry.isBefore(needUntil)) {
                out.printf("WARNING: access tokens expire from %s, before the run ends: connections will be closed"
                        + " (4001). Start the server with KAIRAN_AUTH_ACCESS_TOKEN_TTL=2h.%n", firstExpiry);
            }
        } catch (RuntimeException e) {
            System.err.println("gateway-bench: setup failed: " + e.getMessage());
            return 2;
        } finally {
            httpThreads.shutdownNow();
        }

        Ledger ledger = new Ledger();
        List<GatewayRun.Seat> seats = new ArrayList<>(connections);
        for (Provisioning.Room room : provisioned) {
            Ledger.Room ledgerRoom = ledger.room(room.id(), room.baseSeq());
            for (int i = 0; i < room.members().size(); i++) {
                Account a = room.members().get(i);
                int index = seats.size();
                seats.add(new GatewayRun.Seat(index, a.userId, a.accessToken, a.deviceKey, room.id(), i < senders,
                        ledgerRoom.member(index)));
            }
        }
        GatewayRun run = new GatewayRun(gateway, seats, msgsPerSecond, ramp, settle, warmup, duration, drain, runId,
                ledger, inboxFrames);
        run.install();

        Map<String, Long> pids = new LinkedHashMap<>();
        if (serverPid != null) {
            pids.put("server", serverPid);
        }
        if (dbPid != null) {
            pids.put("database", dbPid);
        }
        pids.put("driver", ProcessHandle.current().pid());
        Sampler sampler = new Sampler(pids);
        sampler.sample("before");
        sampler.follow();

        Path gatlingDir = outDir.resolve("gatling");
        Files.createDirectories(gatlingDir);
        List<String> gatlingArgs = new ArrayList<>(List.of("-s", GatewaySimulation.class.getName(),
                "-rf", gatlingDir.toString(), "-rd", "kairan gateway bench " + runId));
        if (noHtml) {
            gatlingArgs.add("-nr");
        }
        out.println();
        int gatlingStatus = io.gatling.app.Gatling$.MODULE$.fromArgs(gatlingArgs.toArray(String[]::new));
        sampler.stop();
        sampler.sample("after");

        Ledger.Verdict verdict = ledger.verdict();
        GatewayRun.Timeline timeline = GatewayRun.timeline();
        GatewayReport report = new GatewayReport(params, verdict, timeline, sampler.samples(), sampler.loadAverages(),
                gatlingStatus);
        report.print(out);
        report.write(outDir);
        out.println("summary written to " + outDir.resolve("summary.json") + " and " + outDir.resolve("summary.md")
                + "; Gatling's report under " + gatlingDir);
        if (verdict.readyConnections() + verdict.lateConnections() == 0 || verdict.acked() == 0) {
            System.err.println("gateway-bench: FAILED to run: no connection authenticated or nothing acked");
            return 2;
        }
        if (!verdict.clean()) {
            System.err.println("gateway-bench: FAILED: loss or duplicates (see above)");
            return 1;
        }
        return 0;
    }

    private static URI gatewayFromClientConfig(Api api) {
        JsonNode config = api.get("/client-config");
        String url = config.path("gatewayUrl").asText("");
        if (!url.isEmpty()) {
            return URI.create(url);
        }
        String scheme = config.path("gatewayTls").asBoolean(false) ? "wss" : "ws";
        int port = config.path("gatewayPort").asInt(8081);
        String path = config.path("gatewayPath").asText("/ws");
        return URI.create(scheme + "://" + api.base().getHost() + ":" + port + path);
    }
}
