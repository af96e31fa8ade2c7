package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Search benchmark (issue #8). Puts N messages of varied Japanese office text into R rooms of a throwaway server's
 * MariaDB (directly, with the sequence engine, each with its {@code search_outbox} row as the send path writes it),
 * so the running server's indexer indexes them exactly as it indexes sent messages: messages indexed per second
 * from the outbox's draining. Then the index's size on disk, and the latency of searches through the HTTP API by a
 * member of every room (HdrHistogram, after a warm-up): a mix of Japanese words, compounds, katakana, readings and
 * ASCII, by relevance and newest first, across all rooms and within one. Exit status 0 when every message was
 * indexed and every search answered; 1 otherwise; 2 when the bench could not run.
 */
@Command(name = "search-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Indexes N messages through the server's outbox and measures index size and search latency.")
public final class SearchBench implements Callable<Integer> {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What staff look for: words, compounds and their parts, katakana, readings, ASCII, digits; some find nothing. */
    static final List<String> QUERIES = List.of(
            "防災訓練", "防災", "訓練", "集合場所", "避難所", "鈴虫", "バッタ", "会議室", "資料", "共有フォルダ",
            "予算", "議事録", "住民説明会", "ごみ収集", "コンピューター", "ｺﾝﾋﾟｭｰﾀｰ", "くんれん", "Teams", "PDF", "１０時",
            "防災 集合場所", "\"第3会議室\"", "給食センター", "除雪", "見つからない語");

    @Option(names = "--base-url", defaultValue = "http://127.0.0.1:8080", description = "Server's HTTP API (loopback).")
    URI baseUrl;

    @CommandLine.Mixin
    OperatorOptions operatorOptions = new OperatorOptions();

    @Option(names = "--db-port", required = true, description = "The throwaway MariaDB's port (root, no password, database kairan).")
    int dbPort;

    @Option(names = "--index-dir", description = "The server's search index directory, for its size on disk.")
    Path indexDir;

    @Option(names = "--messages", description = "Messages in all (default 1,000,000; smoke 20,000).")
    Integer messages;

    @Option(names = "--rooms", defaultValue = "20", description = "Rooms the messages are spread over (default ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--queries", description = "Searches measured (default 2,000; smoke 200), after as many again to warm up.")
    Integer queries;

    @Option(names = "--clients", defaultValue = "1", description = "Searches in parallel (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--index-timeout-seconds", defaultValue = "3600", description = "Longest wait for indexing (default ${DEFAULT-VALUE}).")
    int indexTimeoutSeconds;

    @Option(names = "--smoke", description = "20,000 messages and 200 searches: proves the bench works, says nothing about speed.")
    boolean smoke;

    @Option(names = "--server-java", description = "Printed in the report.")
    String serverJava;

    @Option(names = "--out-dir", description = "Where the markdown report goes.")
    Path outDir;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SearchBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int n = messages != null ? messages : smoke ? 20_000 : 1_000_000;
        int q = queries != null ? queries : smoke ? 200 : 2_000;
        String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(4, clients), r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        try {
            Api api = new Api(baseUrl, Duration.ofSeconds(60), threads);
            if (api.status("/health/ready") != 200) {
                System.err.println("search-bench: " + baseUrl + "/health/ready is not 200");
                return 2;
            }
            Setup setup = new Setup(api, out, 2);
            Setup.Org org = setup.prepare(operatorOptions.operator(new CommandLine(this)), runId, "検索ベンチ " + runId);
            List<Account> users = org.addUsers(2);
            Account sender = users.get(0);
            Account reader = users.get(1);
            List<String> roomIds = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                roomIds.add(api.post("/rooms", Map.of("name", String.format(Locale.ROOT, "検索室 %s-%02d", runId, r + 1),
                        "memberIds", List.of(reader.userId)), sender.accessToken, sender.deviceKey).path("id").asText());
            }
            waitForEmptyOutbox(Duration.ofSeconds(60)); // the rooms' own messages, if any

            long t0 = System.nanoTime();
            int perRoom = n / rooms;
            for (int r = 0; r < rooms; r++) {
                fill(roomIds.get(r), sender.userId, r, r == rooms - 1 ? n - perRoom * (rooms - 1) : perRoom);
            }
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "filled: %,d messages (and their outbox rows) in %d rooms in %.1f s%n", n, rooms, fillSeconds);

            // The indexer started on the first rows while the others were still being inserted: its rate is
            // measured from the end of the insert, on what was left then, and from the start, on everything.
            long leftAtFillEnd = outboxRows();
            long i0 = System.nanoTime();
            long pending = waitForEmptyOutbox(Duration.ofSeconds(indexTimeoutSeconds));
            double drainSeconds = (System.nanoTime() - i0) / 1e9;
            double totalSeconds = (System.nanoTime() - t0) / 1e9;
            if (pending > 0) {
                System.err.printf("search-bench: %,d outbox rows still pending after %d s%n", pending, indexTimeoutSeconds);
                return 1;
            }
            double drainRate = leftAtFillEnd / Math.max(drainSeconds, 1e-3);
            out.printf(Locale.ROOT, "indexed: %,d rows left when the insert ended, drained in %.1f s (%,.0f messages/s);"
                    + " %,d messages indexed %.1f s after the insert began (%,.0f messages/s)%n", leftAtFillEnd, drainSeconds,
                    drainRate, n, totalSeconds, n / totalSeconds);
            long indexBytes = indexDir == null ? -1 : size(indexDir);

            // Searches: warm up with as many as measured, then measure.
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < q; i++) {
                String query = QUERIES.get(i % QUERIES.size());
                StringBuilder url = new StringBuilder("/search?q=").append(URLEncoder.encode(query, StandardCharsets.UTF_8));
                if (i % 4 == 1) {
                    url.append("&sort=newest");
                }
                if (i % 4 == 2) {
                    url.append("&roomId=").append(roomIds.get(i % rooms));
                }
                urls.add(url.toString());
            }
            run(api, reader, urls);
            Histogram latency = new Histogram(3);
            long[] hits = new long[1];
            long m0 = System.nanoTime();
            long[] errors = run(api, reader, urls, latency, hits);
            double searchSeconds = (System.nanoTime() - m0) / 1e9;

            String report = String.format(Locale.ROOT, """
                    ## Search bench, %s

                    Server: %s; %d cores; the indexer of the running server (Lucene %s, Kuromoji), fed by the
                    `search_outbox` rows inserted with the messages, as the send path writes them.

                    | | |
                    | --- | --- |
                    | messages | %,d in %d rooms (varied Japanese office text, 40–120 characters) |
                    | insert into MariaDB (messages + outbox rows) | %.1f s |
                    | indexing, from the insert's end | %,d rows drained in %.1f s = **%,.0f messages/s** |
                    | indexing, from the insert's start | %,d messages in %.1f s = %,.0f messages/s |
                    | index size on disk | %s |
                    | searches (after %,d warm-up searches), %d client(s) | %,d in %.1f s = %,.0f/s; %,d hits returned; %d errors |
                    | search latency through the HTTP API | p50 **%.1f ms**, p90 %.1f ms, p99 **%.1f ms**, max %.1f ms |

                    Queries, in turn (every fourth newest first, every fourth within one room): %s.
                    """, Instant.now(), serverJava, Runtime.getRuntime().availableProcessors(), "9.12.3",
                    n, rooms, fillSeconds, leftAtFillEnd, drainSeconds, drainRate, n, totalSeconds, n / totalSeconds,
                    indexBytes < 0 ? "?" : String.format(Locale.ROOT, "%,.1f MB (%,.0f bytes per message)", indexBytes / 1e6,
                            (double) indexBytes / n),
                    q, clients, q, searchSeconds, q / searchSeconds, hits[0], errors[0],
                    ms(latency, 50), ms(latency, 90), ms(latency, 99), latency.getMaxValue() / 1000.0,
                    String.join("、", QUERIES));
            out.println(report);
            if (outDir != null) {
                Files.createDirectories(outDir);
                Path file = outDir.resolve("search-" + (smoke ? "smoke-" : "") + FILE_TIME.format(Instant.now()) + ".md");
                Files.writeString(file, report);
                out.println("report: " + file);
            }
            return errors[0] == 0 && hits[0] > 0 ? 0 : 1;
        } finally {
            threads.shutdownNow();
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private void run(Api api, Account reader, List<String> urls) throws Exception {
        run(api, reader, urls, new Histogram(3), new long[1]);
    }

    /** Runs the searches on {@link #clients} threads; returns {errors}. */
    private long[] run(Api api, Account reader, List<String> urls, Histogram latency, long[] hits) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> parts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                parts.add(pool.submit(() -> {
                    Histogram mine = new Histogram(3);
                    long found = 0;
                    long failed = 0;
                    for (int i = first; i < urls.size(); i += clients) {
                        long s = System.nanoTime();
                        try {
                            JsonNode page = api.get(urls.get(i), reader.accessToken, reader.deviceKey);
                            mine.recordValue((System.nanoTime() - s) / 1000);
                            found += page.path("hits").size();
                        } catch (ApiException e) {
                            failed++;
                        }
                    }
                    synchronized (latency) {
                        latency.add(mine);
                    }
                    return new long[] {found, failed};
                }));
            }
            long failed = 0;
            for (Future<long[]> f : parts) {
                long[] r = f.get();
                hits[0] += r[0];
                failed += r[1];
            }
            return new long[] {failed};
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Inserts {@code count} messages into the room with MariaDB's sequence engine, each with its outbox row: texts
     * combine a topic, an action and a detail chosen from the seq, so the vocabulary and the index look like a
     * municipality's chat rather than one sentence repeated.
     */
    private void fill(String roomId, String senderId, int roomIndex, int count) {
        String idExpr = "8000000000000000000 + " + roomIndex + " * 100000000 + seq";
        String text = "CONCAT(ELT(1 + seq % 12, 'お疲れさまです。', '【共有】', '取り急ぎ連絡します。', '', '各位 ', '確認お願いします。',"
                + " '先ほどの件、', 'ご対応ありがとうございます。', '至急：', 'FYI ', '補足です。', '皆さま '), "
                + "ELT(1 + (seq DIV 12) % 16, '防災訓練', '住民説明会', '予算要求', '議事録', 'ごみ収集の日程', '給食センター', '除雪計画',"
                + " '避難所の開設', 'コンピューターの更新', 'Teams会議', '新庁舎の見学', '鈴虫の観察会', 'バッタの駆除', '窓口の混雑',"
                + " '選挙事務', '健康診断'), "
                + "ELT(1 + (seq DIV 192) % 10, 'の集合場所は第', 'は明日', 'の資料を共有フォルダに置きました。第', 'について、', 'の件で第',"
                + " 'は来週', 'の担当を決めたいので第', 'のPDFを送ります。第', 'の変更点：第', 'の振り返り、第'), "
                + "1 + seq % 9, ELT(1 + (seq DIV 1920) % 6, '会議室でお願いします。', '駐車場に１０時集合です。', '庁舎の３階です。',"
                + " '小学校の体育館が避難所です。', '分室に変更になりました。', '回目の打合せで決めます。'), ' #', seq)";
        String sql = "INSERT INTO messages (id, room_id, seq, sender_id, client_key, body, sent_at, edited_at, deleted_at, reply_to_id,"
                + " mentions, mention_all, version) SELECT " + idExpr + ", " + roomId + ", seq, " + senderId + ", CONCAT('sb-"
                + roomId + "-', seq), " + text + ", UTC_TIMESTAMP(6) - INTERVAL ((" + count + " - seq) * "
                + (ExportBench.SPREAD_MICROS / Math.max(1, count)) + ") MICROSECOND, NULL, NULL, NULL, NULL, FALSE, 0 FROM seq_1_to_"
                + count + ";"
                + "INSERT INTO search_outbox (message_id, created_at) SELECT " + idExpr + ", UTC_TIMESTAMP(6) FROM seq_1_to_" + count + ";"
                + "UPDATE rooms SET last_seq = " + count + ", last_message_at = UTC_TIMESTAMP(6) WHERE id = " + roomId + ";";
        sql("BEGIN;" + sql + "COMMIT;");
    }

    private long outboxRows() {
        return Long.parseLong(sql("SELECT COUNT(*) FROM search_outbox").strip());
    }

    /** Waits until the outbox is empty or the time is up; returns the rows still pending. */
    private long waitForEmptyOutbox(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        long rows;
        while ((rows = outboxRows()) > 0 && System.nanoTime() < end) {
            Thread.sleep(250);
        }
        return rows;
    }

    private String sql(String sql) {
        try {
            Process p = new ProcessBuilder("mariadb", "--no-defaults", "--protocol=tcp", "-h127.0.0.1", "-P" + dbPort, "-uroot",
                    "-N", "kairan", "-e", sql).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("SQL failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // merged away meanwhile
                }
            }).sum();
        }
    }
}
