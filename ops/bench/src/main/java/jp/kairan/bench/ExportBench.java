package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Export and purge benchmark (issue #6): puts N messages into one room of a throwaway server's MariaDB (directly, with
 * the sequence engine: the send path is not what is measured), has an auditor export the room through the API, and
 * reports messages per second from the export's own start and finish times, the archive's size, and the server's
 * peak heap sampled from {@code /metrics} (on the management port) during the export; a small export first gives the baseline heap. Then an
 * owner shortens the retention period and purges through the API: messages per second deleted. Exit status 0 when
 * every export finished and counted every message; 1 otherwise; 2 when the bench could not run.
 */
@Command(name = "export-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Exports a room of N messages (after a small baseline export) and purges it; reports throughput and peak heap.")
public final class ExportBench implements Callable<Integer> {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--base-url", defaultValue = "http://127.0.0.1:8080", description = "Server's HTTP API (loopback).")
    URI baseUrl;

    @Option(names = "--metrics-url", defaultValue = "http://127.0.0.1:9100/metrics",
            description = "The server's Prometheus metrics, on its management port (management.port), never the API's.")
    URI metricsUrl;

    @CommandLine.Mixin
    OperatorOptions operatorOptions = new OperatorOptions();

    @Option(names = "--db-port", required = true, description = "The throwaway MariaDB's port (root, no password, database kairan).")
    int dbPort;

    @Option(names = "--messages", description = "Messages in the big room (default 1,000,000; smoke 20,000).")
    Integer messages;

    @Option(names = "--baseline", defaultValue = "1000", description = "Messages in the baseline room (default ${DEFAULT-VALUE}).")
    int baseline;

    @Option(names = "--smoke", description = "20,000 messages: proves the bench works, says nothing about speed.")
    boolean smoke;

    @Option(names = "--server-java", description = "Printed in the report.")
    String serverJava;

    @Option(names = "--out-dir", description = "Where the markdown report goes.")
    Path outDir;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ExportBench()).execute(args));
    }

    /** One export's figures. */
    record Run(long messages, double seconds, long bytes, long peakHeap, long peakOld) {
        double perSecond() {
            return messages / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        int n = messages != null ? messages : smoke ? 20_000 : 1_000_000;
        String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        try {
            Api api = new Api(baseUrl, Duration.ofSeconds(120), threads);
            if (api.status("/health/ready") != 200) {
                System.err.println("export-bench: " + baseUrl + "/health/ready is not 200");
                return 2;
            }
            Setup setup = new Setup(api, out, 2);
            Setup.Org org = setup.prepare(operatorOptions.operator(new CommandLine(this)), runId, "エクスポートベンチ " + runId);
            List<Account> users = org.addUsers(3);
            Account sender = users.get(0);
            Account reader = users.get(1);
            Account auditor = users.get(2);
            org.owner.call((token, key) -> api.patch("/orgs/" + org.id + "/users/" + auditor.userId, Map.of("roles", List.of("auditor")),
                    token, key));
            String small = api.post("/rooms", Map.of("name", "基準 " + runId, "memberIds", List.of(reader.userId)), sender.accessToken,
                    sender.deviceKey).path("id").asText();
            String big = api.post("/rooms", Map.of("name", "大量 " + runId, "memberIds", List.of(reader.userId)), sender.accessToken,
                    sender.deviceKey).path("id").asText();
            fill(small, sender.userId, baseline);
            long t0 = System.nanoTime();
            fill(big, sender.userId, n);
            out.printf(Locale.ROOT, "filled: %,d + %,d messages in %.1f s%n", baseline, n, (System.nanoTime() - t0) / 1e9);

            Run base = export(api, org.id, auditor, small, baseline);
            Run large = export(api, org.id, auditor, big, n);

            org.owner.call((token, key) -> put(api, "/orgs/" + org.id + "/retention", Map.of("days", 1), token, key));
            long p0 = System.nanoTime();
            JsonNode purged = org.owner.call((token, key) -> api.post("/orgs/" + org.id + "/retention/purge", Map.of(), token, key));
            double purgeSeconds = (System.nanoTime() - p0) / 1e9;
            long deleted = purged.path("messages").asLong();

            String report = String.format(Locale.ROOT, """
                    ## Export and purge bench, %s

                    Server: %s; %d cores. The server's heap is sampled from /metrics every 200 ms during each export.

                    | export | messages | seconds | messages/s | archive | peak heap used | peak old gen |
                    | --- | --- | --- | --- | --- | --- | --- |
                    | baseline room | %,d | %.2f | %,.0f | %,.1f MB | %,.0f MB | %,.0f MB |
                    | large room | %,d | %.1f | %,.0f | %,.1f MB | %,.0f MB | %,.0f MB |

                    Purge (retention 1 day; each room's messages are spread over the last 30 days): %,d messages deleted in %.1f s = %,.0f messages/s.
                    """, Instant.now(), serverJava, Runtime.getRuntime().availableProcessors(),
                    base.messages(), base.seconds(), base.perSecond(), base.bytes() / 1e6, base.peakHeap() / 1e6, base.peakOld() / 1e6,
                    large.messages(), large.seconds(), large.perSecond(), large.bytes() / 1e6, large.peakHeap() / 1e6, large.peakOld() / 1e6,
                    deleted, purgeSeconds, deleted / purgeSeconds);
            out.println(report);
            if (outDir != null) {
                Files.createDirectories(outDir);
                Path file = outDir.resolve("export-" + (smoke ? "smoke-" : "") + FILE_TIME.format(Instant.now()) + ".md");
                Files.writeString(file, report);
                out.println("report: " + file);
            }
            return base.messages() == baseline && large.messages() == n ? 0 : 1;
        } finally {
            threads.shutdownNow();
        }
    }

    private static JsonNode put(Api api, String path, Object body, String token, DeviceKey key) {
        return api.put(path, body, token, key);
    }

    /** The messages of a room are spread evenly over the last 30 days. */
    static final long SPREAD_MICROS = 30L * 86_400 * 1_000_000;

    /** Inserts {@code count} messages into the room, spread over the last 30 days, with MariaDB's sequence engine. */
    private void fill(String roomId, String senderId, int count) throws IOException, InterruptedException {
        String sql = "INSERT INTO messages (id, room_id, seq, sender_id, client_key, body, sent_at, edited_at, deleted_at, reply_to_id, "
                + "mentions, mention_all, version) SELECT " + roomId + " * 0 + 8000000000000000000 + " + roomId + " % 1000000 * 10000000 + seq, "
                + roomId + ", seq, " + senderId + ", CONCAT('bench-" + roomId + "-', seq), "
                + "CONCAT('お疲れさまです。防災訓練の件で連絡します（', seq, '）。明日10時に第3会議室へお集まりください。資料は共有フォルダにあります。'), "
                + "UTC_TIMESTAMP(6) - INTERVAL ((" + count + " - seq) * " + (SPREAD_MICROS / count) + ") MICROSECOND, NULL, NULL, NULL, NULL, "
                + "FALSE, 0 FROM seq_1_to_" + count + ";"
                + "UPDATE rooms SET last_seq = " + count + ", last_message_at = UTC_TIMESTAMP(6) WHERE id = " + roomId + ";";
        Process p = new ProcessBuilder("mariadb", "--no-defaults", "--protocol=tcp", "-h127.0.0.1", "-P" + dbPort, "-uroot", "kairan",
                "-e", sql).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("inserting messages failed: " + output);
        }
    }

    /** Exports the room as the auditor, sampling the server's heap until the export is done. */
    private Run export(Api api, String orgId, Account auditor, String roomId, long expected) throws Exception {
        Instant now = Instant.now();
        JsonNode job = api.post("/orgs/" + orgId + "/exports", Map.of("scope", "room", "targetId", roomId,
                "from", now.minus(Duration.ofDays(400)).toString(), "to", now.plus(Duration.ofDays(1)).toString()),
                auditor.accessToken, auditor.deviceKey);
        String id = job.path("id").asText();
        long peakHeap = 0;
        long peakOld = 0;
        HttpClient http = HttpClient.newHttpClient();
        while (List.of("queued", "running").contains(job.path("state").asText())) {
            long[] heap = heap(http);
            peakHeap = Math.max(peakHeap, heap[0]);
            peakOld = Math.max(peakOld, heap[1]);
            Thread.sleep(200);
            job = api.get("/orgs/" + orgId + "/exports/" + id, auditor.accessToken, auditor.deviceKey);
        }
        if (!"done".equals(job.path("state").asText())) {
            throw new IllegalStateException("export " + id + " ended " + job.path("state").asText());
        }
        double seconds = Duration.between(Instant.parse(job.path("createdAt").asText()),
                Instant.parse(job.path("finishedAt").asText())).toNanos() / 1e9;
        out.printf(Locale.ROOT, "export of %,d messages: %.2f s, %,.0f messages/s, %,d bytes, peak heap %,d MB%n",
                job.path("messageCount").asLong(), seconds, job.path("messageCount").asLong() / seconds, job.path("sizeBytes").asLong(),
                peakHeap / 1_000_000);
        return new Run(job.path("messageCount").asLong(), seconds, job.path("sizeBytes").asLong(), peakHeap, peakOld);
    }

    /** Heap used in total and in the old generation, from the server's Prometheus metrics. */
    private long[] heap(HttpClient http) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(metricsUrl).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long total = 0;
        long old = 0;
        for (String line : text.lines().toList()) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                long v = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                total += v;
                if (line.contains("Old Gen") || line.contains("Tenured")) {
                    old += v;
                }
            }
        }
        return new long[] {total, old};
    }

}
