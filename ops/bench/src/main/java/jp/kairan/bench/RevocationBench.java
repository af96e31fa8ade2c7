package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Revocation benchmark (protocol/DEVICES.md, "Revocation"): many authenticated gateway connections, several per
 * device, then devices revoked through the admin API, one at a time and in a burst. Per revocation it measures the
 * HTTP revoke latency and the time from sending the revoke request until the <em>last</em> connection of the device
 * has received {@code device.revoked} and been closed with 4004, and it checks that no other connection was closed
 * and that the revoked devices are refused afterwards. See {@code ops/bench/README.md}.
 *
 * <p>Exit status: 0 when every connection of every revoked device got {@code device.revoked} and 4004 and no other
 * connection closed; 1 otherwise; 2 when the bench could not run.
 */
@Command(name = "revocation-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Opens users × devices × connections authenticated gateway connections on a running Kairan server,",
            "revokes devices through the admin API (one at a time, then a burst) and measures how long until every",
            "connection of a revoked device got device.revoked and was closed (4004); checks no other connection closed."})
public final class RevocationBench implements Callable<Integer> {
    private static final long NEVER = Conn.NEVER;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--base-url", defaultValue = "http://127.0.0.1:8080",
            description = "Server's HTTP API (default: ${DEFAULT-VALUE}). Loopback only.")
    URI baseUrl;

    @Option(names = "--gateway-url", description = "WebSocket URL (default: from GET /api/v1/client-config).")
    URI gatewayUrl;

    @CommandLine.Mixin
    OperatorOptions operatorOptions = new OperatorOptions();

    @Option(names = "--smoke", description = "50 users × 2 devices × 5 connections = 500 connections; 5 single revocations, a burst of 20.")
    boolean smoke;

    @Option(names = "--users", description = "Users (default 1,000; smoke 50). Each costs about three Argon2id hashes.")
    Integer users;

    @Option(names = "--devices-per-user", description = "Devices per user (default 2). Each device beyond the first costs a sign-in.")
    Integer devicesPerUser;

    @Option(names = "--connections-per-device", description = "Gateway connections per device, e.g. browser tabs (default 5).")
    Integer connectionsPerDevice;

    @Option(names = "--singles", description = "Devices revoked one at a time (default 20; smoke 5).")
    Integer singles;

    @Option(names = "--burst", description = "Devices revoked at once after the singles (default 100; smoke 20).")
    Integer burst;

    @Option(names = "--connect-rate", defaultValue = "100",
            description = "New connections per second (default ${DEFAULT-VALUE}); each costs the server two ES256 verifications.")
    double connectRate;

    @Option(names = "--connect-in-flight", defaultValue = "200",
            description = "Connections handshaking or authenticating at once, at most (default ${DEFAULT-VALUE}).")
    int connectInFlight;

    @Option(names = "--pause-millis", defaultValue = "500", description = "Pause between single revocations (default ${DEFAULT-VALUE}).")
    long pauseMillis;

    @Option(names = "--settle-seconds", defaultValue = "3",
            description = "Wait after the revocations before judging that no other connection closed (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--close-timeout-seconds", defaultValue = "20",
            description = "How long to wait for a revoked device's connections to close (default ${DEFAULT-VALUE}).")
    int closeTimeoutSeconds;

    @Option(names = "--setup-threads", defaultValue = "6", description = "Parallel provisioning (default ${DEFAULT-VALUE}).")
    int setupThreads;

    @Option(names = "--server-pid", description = "Server process to measure (RSS, threads, open files).")
    Long serverPid;

    @Option(names = "--server-java", description = "Which JVM runs the server, for the report.")
    String serverJava;

    @Option(names = "--out-dir", defaultValue = "ops/bench/results",
            description = "Where the markdown report goes (default: ${DEFAULT-VALUE}).")
    Path outDir;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RevocationBench()).execute(args));
    }

    /** One approved device: its key, its access token and its connections. */
    static final class Device {
        final int index;
        final String id;
        final DeviceKey key;
        final String token;
        final List<Conn> conns = new ArrayList<>();

        Device(int index, String id, DeviceKey key, String token) {
            this.index = index;
            this.id = id;
            this.key = key;
            this.token = token;
        }
    }

    /** One revocation as measured. */
    record Revocation(Device device, long sentNanos, long httpNanos, int httpStatus, String httpError,
                      long lastFrameNanos, long lastCloseNanos, int closedWith4004, int gotFrame) {
        long closeLatencyNanos() {
            return lastCloseNanos == NEVER ? NEVER : lastCloseNanos - sentNanos;
        }

        boolean complete() {
            return httpError == null && closedWith4004 == device.conns.size() && gotFrame == device.conns.size();
        }
    }

    @Override
    public Integer call() throws Exception {
        int userCount = users != null ? users : smoke ? 50 : 1000;
        int perUser = devicesPerUser != null ? devicesPerUser : 2;
        int perDevice = connectionsPerDevice != null ? connectionsPerDevice : 5;
        int singleCount = singles != null ? singles : smoke ? 5 : 20;
        int burstCount = burst != null ? burst : smoke ? 20 : 100;
        int deviceCount = userCount * perUser;
        int connCount = deviceCount * perDevice;
        if (userCount < 1 || perUser < 1 || perDevice < 1 || singleCount + burstCount > deviceCount) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "need users, devices and connections ≥ 1, and singles + burst ≤ devices (" + deviceCount + ")");
        }
        String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        out.printf(Locale.ROOT, "Kairan revocation bench — %s; run %s; driver Java %s; load %s%n", started, runId,
                System.getProperty("java.version"), loadBefore);
        out.printf(Locale.ROOT, "%,d connections = %,d users × %d devices × %d connections; %d single revocations, a burst"
                + " of %d%n", connCount, userCount, perUser, perDevice, singleCount, burstCount);

        ExecutorService httpThreads = Executors.newFixedThreadPool(Math.max(4, setupThreads), daemon("bench-http"));
        ExecutorService wsThreads = Executors.newFixedThreadPool(2, daemon("bench-ws"));
        Report report = new Report();
        report.put("users", userCount);
        report.put("devicesPerUser", perUser);
        report.put("connectionsPerDevice", perDevice);
        try {
            Api api = new Api(baseUrl, Duration.ofSeconds(30), httpThreads);
            if (api.status("/health/ready") != 200) {
                System.err.println("revocation-bench: " + baseUrl + "/health/ready is not 200");
                return 2;
            }
            URI gateway = gatewayUrl != null ? gatewayUrl : URI.create(api.get("/client-config").path("gatewayUrl").asText());
            out.println("gateway " + gateway);

            // --- provisioning ---------------------------------------------------------------------------------
            Setup setup = new Setup(api, out, setupThreads);
            Setup.Org org;
            List<Device> devices;
            long t0 = System.nanoTime();
            try {
                org = setup.prepare(operatorOptions.operator(new CommandLine(this)), runId, "失効ベンチ " + runId);
                if (perUser > 5) {
                    org.owner.call((token, key) -> api.patch("/orgs/" + org.id, Map.of("maxDevicesPerUser", perUser), token, key));
                }
                long tUsers = System.nanoTime();
                List<Account> accounts = org.addUsers(userCount);
                report.usersSeconds = (System.nanoTime() - tUsers) / 1e9;
                devices = new ArrayList<>(deviceCount);
                for (Account a : accounts) {
                    devices.add(new Device(devices.size(), a.deviceId, a.deviceKey, a.accessToken));
                }
                long tDevices = System.nanoTime();
                devices.addAll(moreDevices(org, accounts, perUser - 1, devices.size()));
                report.moreDevicesSeconds = (System.nanoTime() - tDevices) / 1e9;
                for (Device d : devices) {
                    if (d.id == null) {
                        throw new IllegalStateException("device " + d.index + " has no id (was it approved at once?)");
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("revocation-bench: setup failed: " + e.getMessage());
                return 2;
            }
            report.provisionSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "setup: %,d devices of %,d users approved in %.1f s (users %.1f s, further devices %.1f s)%n",
                    devices.size(), userCount, report.provisionSeconds, report.usersSeconds, report.moreDevicesSeconds);

            // --- connections ----------------------------------------------------------------------------------
            HttpClient wsClient = HttpClient.newBuilder().executor(wsThreads).connectTimeout(Duration.ofSeconds(30)).build();
            List<Conn> conns = new ArrayList<>(connCount);
            for (Device d : devices) {
                for (int c = 0; c < perDevice; c++) {
                    Conn conn = new Conn(conns.size(), d, gateway.toString());
                    d.conns.add(conn);
                    conns.add(conn);
                }
            }
            Collections.shuffle(conns, new Random(1)); // a device's tabs do not open back to back
            connectAll(wsClient, gateway, conns, report);
            if (report.ready == 0) {
                System.err.println("revocation-bench: no connection authenticated");
                return 2;
            }
            sleep(2000);
            report.closedBeforeRevocations = conns.stream().filter(c -> c.closeNanos != NEVER).count();
            if (serverPid != null) {
                report.serverConnected = sample(serverPid);
            }
            report.driverConnected = sample(ProcessHandle.current().pid());
            report.loadConnected = loadAverage();

            // --- revocations ----------------------------------------------------------------------------------
            List<Device> candidates = new ArrayList<>(devices.stream()
                    .filter(d -> d.conns.stream().allMatch(c -> c.readyNanos != NEVER && c.closeNanos == NEVER)).toList());
            Collections.shuffle(candidates, new Random(2));
            if (candidates.size() < singleCount + burstCount) {
                System.err.printf("revocation-bench: only %d devices have all their connections ready%n", candidates.size());
                return 2;
            }
            List<Device> singleTargets = candidates.subList(0, singleCount);
            List<Device> burstTargets = candidates.subList(singleCount, singleCount + burstCount);
            String ownerToken = org.owner.token();
            DeviceKey ownerKey = org.owner.account().deviceKey;
            out.printf("revoking %d devices one at a time ...%n", singleCount);
            for (Device d : singleTargets) {
                HttpRequest request = revokeRequest(api, org.id, d, ownerToken, ownerKey);
                d.conns.forEach(c -> c.target = true);
                Revocation r = revoke(api, d, request, closeTimeoutSeconds);
                report.singles.add(r);
                out.printf(Locale.ROOT, "  device %s: HTTP %s in %.1f ms, last of %d connections closed after %s%n", d.id,
                        r.httpError == null ? r.httpStatus : r.httpError, r.httpNanos / 1e6, d.conns.size(), ms(r.closeLatencyNanos()));
                sleep(pauseMillis);
            }
            out.printf("revoking %d devices at once ...%n", burstCount);
            List<HttpRequest> requests = new ArrayList<>();
            for (Device d : burstTargets) {
                requests.add(revokeRequest(api, org.id, d, ownerToken, ownerKey));
                d.conns.forEach(c -> c.target = true);
            }
            report.burst.addAll(revokeAll(api, burstTargets, requests, closeTimeoutSeconds + burstCount / 10));
            sleep(settleSeconds * 1000L);

            // --- checks -------------------------------------------------------------------------------------------
            for (Conn c : conns) {
                if (!c.target && c.closeNanos != NEVER) {
                    report.othersClosed.merge(c.closeCode + " " + c.closeReason, 1, Integer::sum);
                }
            }
            List<Device> checked = new ArrayList<>(singleTargets);
            checked.addAll(burstTargets.subList(0, Math.min(20, burstTargets.size())));
            for (Device d : checked) {
                try {
                    api.get("/me/devices", d.token, d.key);
                    report.afterRevocationHttp.merge("200 (accepted!)", 1, Integer::sum);
                } catch (ApiException e) {
                    report.afterRevocationHttp.merge(e.code(), 1, Integer::sum);
                }
            }
            report.reconnect = reconnectRevoked(wsClient, gateway, singleTargets.get(0));
            try {
                api.send(revokeRequest(api, org.id, singleTargets.get(0), ownerToken, ownerKey)).join();
                report.revokeAgain = "200 (accepted twice!)";
            } catch (RuntimeException e) {
                report.revokeAgain = Api.translate(e).code();
            }
            report.loadAfter = loadAverage();
            report.print(out, this, connCount, started);
            Files.createDirectories(outDir);
            Path file = outDir.resolve("revocation-" + (smoke ? "smoke-" : "") + FILE_TIME.format(started) + ".md");
            try (PrintStream md = new PrintStream(Files.newOutputStream(file), true, "UTF-8")) {
                report.print(md, this, connCount, started);
            }
            out.println("report written to " + file);
            for (Conn c : conns) {
                c.abort();
            }
            return report.clean() ? 0 : 1;
        } finally {
            httpThreads.shutdownNow();
            wsThreads.shutdownNow();
        }
    }

    /** Signs each user in on {@code more} further devices, each approved by the owner; one TOTP step per sign-in. */
    private List<Device> moreDevices(Setup.Org org, List<Account> accounts, int more, int firstIndex) {
        if (more <= 0) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(setupThreads, daemon("bench-setup"));
        AtomicInteger next = new AtomicInteger(firstIndex);
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            List<Future<Device>> futures = new ArrayList<>();
            for (int round = 0; round < more; round++) {
                int deviceNumber = round + 2;
                for (Account a : accounts) {
                    futures.add(pool.submit(() -> {
                        DeviceKey key = DeviceKey.generate();
                        SignIn.Session s = Setup.retrying("sign-in of " + a.loginId + " on device " + deviceNumber,
                                () -> org.userSignIn.signIn(a, a.password, key, "bench " + a.loginId + " #" + deviceNumber));
                        int n = done.incrementAndGet();
                        if (n % 500 == 0) {
                            out.printf(Locale.ROOT, "setup:   %d further devices (%.0f s)%n", n, (System.nanoTime() - t0) / 1e9);
                        }
                        return new Device(next.getAndIncrement(), s.deviceId(), key, s.accessToken());
                    }));
                }
            }
            List<Device> result = new ArrayList<>();
            for (Future<Device> f : futures) {
                result.add(f.get());
            }
            return result;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Opens every connection at {@link #connectRate} per second, at most {@link #connectInFlight} at once. */
    private void connectAll(HttpClient client, URI gateway, List<Conn> conns, Report report) throws InterruptedException {
        out.printf(Locale.ROOT, "opening %,d connections at %.0f/s ...%n", conns.size(), connectRate);
        Semaphore inFlight = new Semaphore(connectInFlight);
        long start = System.nanoTime();
        double interval = 1e9 / connectRate;
        int every = Math.max(1, conns.size() / 10);
        for (int i = 0; i < conns.size(); i++) {
            long due = start + (long) (i * interval);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                break;
            }
            Conn c = conns.get(i);
            c.open(client, gateway);
            c.ready.whenComplete((v, e) -> inFlight.release());
            if ((i + 1) % every == 0) {
                out.printf(Locale.ROOT, "  %,d opened (%.0f s)%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Conn c : conns) {
            try {
                c.ready.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // counted below
            }
        }
        report.connectSeconds = (System.nanoTime() - start) / 1e9;
        Histogram h = new Histogram(3);
        for (Conn c : conns) {
            if (c.readyNanos != NEVER) {
                report.ready++;
                h.recordValue(Math.max(0, (c.readyNanos - c.openNanos) / 1000));
            } else {
                report.notReady.merge(c.failure == null ? "timeout" : c.failure, 1, Integer::sum);
            }
        }
        report.connectToReady = h;
        out.printf(Locale.ROOT, "%,d of %,d connections ready in %.1f s (connect → session.ready p50 %s, p99 %s)%n",
                report.ready, conns.size(), report.connectSeconds, ms(h.getValueAtPercentile(50) * 1000),
                ms(h.getValueAtPercentile(99) * 1000));
    }

    private static HttpRequest revokeRequest(Api api, String orgId, Device d, String token, DeviceKey key) {
        return api.preparePost("/orgs/" + orgId + "/devices/" + d.id + "/revoke",
                Map.of("reason", "revocation bench"), token, key);
    }

    /** Sends one prepared revoke request and waits until the device's connections are closed. */
    private Revocation revoke(Api api, Device d, HttpRequest request, int timeoutSeconds) {
        long sent = System.nanoTime();
        CompletableFuture<Long> http = timed(api.send(request));
        return await(d, sent, http, System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds));
    }

    /** Sends all prepared requests back to back, then waits for all of their devices' connections. */
    private List<Revocation> revokeAll(Api api, List<Device> targets, List<HttpRequest> requests, int timeoutSeconds) {
        long[] sent = new long[targets.size()];
        List<CompletableFuture<Long>> https = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            sent[i] = System.nanoTime();
            https.add(timed(api.send(requests.get(i))));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<Revocation> result = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            result.add(await(targets.get(i), sent[i], https.get(i), deadline));
        }
        return result;
    }

    /** Completes with the nanoTime the answer arrived, or exceptionally with the ApiException. */
    private static CompletableFuture<Long> timed(CompletableFuture<JsonNode> call) {
        return call.thenApply(body -> System.nanoTime());
    }

    private static Revocation await(Device d, long sent, CompletableFuture<Long> http, long deadline) {
        long httpAt = NEVER;
        String httpError = null;
        int status = 200;
        try {
            httpAt = http.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            ApiException a = Api.translate(e);
            httpError = a.code();
            status = a.status();
        } catch (TimeoutException e) {
            httpError = "timeout";
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            httpError = "interrupted";
        }
        for (Conn c : d.conns) {
            try {
                c.closed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long lastFrame = NEVER;
        long lastClose = NEVER;
        int with4004 = 0;
        int frames = 0;
        boolean allClosed = true;
        for (Conn c : d.conns) {
            if (c.revokedFrameNanos != NEVER) {
                frames++;
                lastFrame = Math.max(lastFrame, c.revokedFrameNanos);
            }
            if (c.closeNanos == NEVER) {
                allClosed = false;
            } else {
                lastClose = Math.max(lastClose, c.closeNanos);
                if (c.closeCode == 4004) {
                    with4004++;
                }
            }
        }
        return new Revocation(d, sent, httpAt == NEVER ? 0 : httpAt - sent, status, httpError, lastFrame,
                allClosed ? lastClose : NEVER, with4004, frames);
    }

    /** A new connection of a revoked device: the server must answer authenticate with device.revoked and 4004. */
    private String reconnectRevoked(HttpClient client, URI gateway, Device d) {
        Conn c = new Conn(-1, d, gateway.toString());
        c.open(client, gateway);
        try {
            c.closed.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.abort();
            return c.readyNanos != NEVER ? "session.ready (accepted!)" : "no close within 15 s";
        }
        return (c.revokedFrameNanos != NEVER ? "device.revoked, " : "no device.revoked frame, ") + "closed " + c.closeCode
                + " " + c.closeReason + (c.readyNanos != NEVER ? " after session.ready (accepted first!)" : "");
    }

    // --- report ---------------------------------------------------------------------------------------------------

    private static final class Report extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
        double provisionSeconds;
        double usersSeconds;
        double moreDevicesSeconds;
        double connectSeconds;
        int ready;
        Map<String, Integer> notReady = new TreeMap<>();
        Histogram connectToReady;
        long closedBeforeRevocations;
        ProcessStats serverConnected;
        ProcessStats driverConnected;
        String loadConnected;
        String loadAfter;
        final List<Revocation> singles = new ArrayList<>();
        final List<Revocation> burst = new ArrayList<>();
        final Map<String, Integer> othersClosed = new TreeMap<>();
        final Map<String, Integer> afterRevocationHttp = new TreeMap<>();
        String reconnect;
        String revokeAgain;

        boolean clean() {
            return othersClosed.isEmpty() && "conflict".equals(revokeAgain)
                    && reconnect != null && reconnect.startsWith("device.revoked, closed 4004")
                    && singles.stream().allMatch(Revocation::complete)
                    && burst.stream().allMatch(Revocation::complete)
                    && afterRevocationHttp.keySet().stream().allMatch("device_revoked"::equals);
        }

        void print(PrintStream o, RevocationBench b, int connCount, Instant started) {
            o.println();
            o.printf(Locale.ROOT, "## Revocation bench, %s%n%n", started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            o.printf(Locale.ROOT, "- %,d connections = %s users × %s devices × %s connections per device; %s%n", connCount,
                    get("users"), get("devicesPerUser"), get("connectionsPerDevice"), b.smoke ? "smoke" : "full");
            o.printf(Locale.ROOT, "- server: %s; driver: Java %s, JDK WebSocket client%n",
                    b.serverJava == null ? "?" : b.serverJava, System.getProperty("java.version"));
            o.printf(Locale.ROOT, "- load average (1/5/15 min): at connect end %s; at the end %s%n", loadConnected, loadAfter);
            o.printf(Locale.ROOT, "- provisioning: %.0f s (users with first device %.0f s, further devices %.0f s)%n",
                    provisionSeconds, usersSeconds, moreDevicesSeconds);
            o.printf(Locale.ROOT, "- connections: %,d of %,d ready in %.0f s at %.0f/s offered; connect → session.ready p50 %s,"
                            + " p99 %s, max %s%s%n", ready, connCount, connectSeconds, b.connectRate,
                    ms(connectToReady.getValueAtPercentile(50) * 1000), ms(connectToReady.getValueAtPercentile(99) * 1000),
                    ms(connectToReady.getMaxValue() * 1000), notReady.isEmpty() ? "" : "; not ready: " + notReady);
            if (closedBeforeRevocations > 0) {
                o.printf("- closed before any revocation: %d%n", closedBeforeRevocations);
            }
            if (serverConnected != null) {
                o.printf(Locale.ROOT, "- server with the connections open: RSS %,d MiB, %d threads, %,d open files%n",
                        serverConnected.rssKib() / 1024, serverConnected.threads(), serverConnected.fds());
            }
            o.printf(Locale.ROOT, "- driver: RSS %,d MiB, %d threads%n", driverConnected.rssKib() / 1024, driverConnected.threads());
            o.println();
            o.println("| revocations | devices | HTTP revoke p50 / max | send → last connection closed (4004) p50 / p90 / max |"
                    + " send → last device.revoked p50 / max | all connections got device.revoked + 4004 |");
            o.println("| --- | --- | --- | --- | --- | --- |");
            row(o, "one at a time", singles);
            row(o, "burst (sent back to back)", burst);
            if (!burst.isEmpty()) {
                long first = burst.stream().mapToLong(Revocation::sentNanos).min().orElse(0);
                long last = burst.stream().mapToLong(Revocation::lastCloseNanos).max().orElse(NEVER);
                o.printf(Locale.ROOT, "%nBurst: first request sent → last connection closed: %s.%n",
                        burst.stream().anyMatch(r -> r.lastCloseNanos == NEVER) ? "not all closed" : ms(last - first));
            }
            o.println();
            o.printf("Single revocations, send → last close (ms): %s%n", singles.stream()
                    .map(r -> ms(r.closeLatencyNanos())).toList());
            o.println();
            o.printf("- other connections closed: %s%n", othersClosed.isEmpty() ? "none" : othersClosed);
            o.printf("- HTTP by a revoked device afterwards (GET /me/devices): %s%n", afterRevocationHttp);
            o.printf("- new connection of a revoked device: %s%n", reconnect);
            o.printf("- revoking a revoked device again: %s (DEVICES.md: conflict)%n", revokeAgain);
            o.printf("- verdict: %s%n", clean() ? "clean" : "NOT clean (see above)");
        }

        private static void row(PrintStream o, String name, List<Revocation> rs) {
            if (rs.isEmpty()) {
                return;
            }
            Histogram http = new Histogram(3);
            Histogram close = new Histogram(3);
            Histogram frame = new Histogram(3);
            int complete = 0;
            int conns = 0;
            int good = 0;
            for (Revocation r : rs) {
                http.recordValue(Math.max(0, r.httpNanos / 1000));
                if (r.lastCloseNanos != NEVER) {
                    close.recordValue(Math.max(0, r.closeLatencyNanos() / 1000));
                }
                if (r.lastFrameNanos != NEVER) {
                    frame.recordValue(Math.max(0, (r.lastFrameNanos - r.sentNanos) / 1000));
                }
                complete += r.complete() ? 1 : 0;
                conns += r.device.conns.size();
                good += Math.min(r.closedWith4004, r.gotFrame);
            }
            o.printf(Locale.ROOT, "| %s | %d | %s / %s | %s / %s / %s | %s / %s | %d of %d devices (%d of %d connections) |%n",
                    name, rs.size(), ms(http.getValueAtPercentile(50) * 1000), ms(http.getMaxValue() * 1000),
                    ms(close.getValueAtPercentile(50) * 1000), ms(close.getValueAtPercentile(90) * 1000),
                    ms(close.getMaxValue() * 1000), ms(frame.getValueAtPercentile(50) * 1000),
                    ms(frame.getMaxValue() * 1000), complete, rs.size(), good, conns);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    static String ms(long nanos) {
        if (nanos == NEVER) {
            return "never";
        }
        double m = nanos / 1e6;
        return m >= 1000 ? String.format(Locale.ROOT, "%.2f s", m / 1000) : String.format(Locale.ROOT, "%.1f ms", m);
    }

    private static ProcessStats sample(long pid) {
        try {
            return ProcessStats.sample(pid);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
