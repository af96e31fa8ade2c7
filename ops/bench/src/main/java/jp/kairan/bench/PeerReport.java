package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import jp.kairan.protocol.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sets the peer bench's results ({@link PeerBench}, one JSON per server and placement) side by side: a markdown
 * report with the machine, the versions, the scenario, the targets of issue #7 and every step, and a PNG of send →
 * deliver latency against offered load for both servers.
 */
@Command(name = "peer-report", mixinStandardHelpOptions = true,
        description = "Writes the side-by-side report (markdown + PNG) of PeerBench results.")
public final class PeerReport implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Color KAIRAN = new Color(0x1f77b4);
    private static final Color EJABBERD = new Color(0xd95f02);

    @Parameters(paramLabel = "RESULT.json", description = "PeerBench results.")
    List<Path> results;

    @Option(names = "--md", required = true, description = "The markdown report to write.")
    Path md;

    @Option(names = "--png", required = true, description = "The plot to write.")
    Path png;

    @Option(names = "--command", description = "The command that reproduces the run, for the report.")
    String command;

    @Option(names = "--versions", description = "Versions of the servers and the database, for the report.")
    String versions;

    @Option(names = "--title", defaultValue = "Kairan and ejabberd under the same chat load")
    String title;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeerReport()).execute(args));
    }

    /** One server in one placement. */
    record Result(String target, String placement, JsonNode json) {
        List<JsonNode> steps() {
            List<JsonNode> out = new ArrayList<>();
            json.path("steps").forEach(out::add);
            return out;
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Result> all = new ArrayList<>();
        for (Path p : results) {
            JsonNode j = JSON.readTree(p.toFile());
            all.add(new Result(j.path("target").asText(), j.path("placement").asText(), j));
        }
        // pinned before shared, Kairan before ejabberd
        all.sort(java.util.Comparator.comparing((Result r) -> !r.placement().equals("pinned"))
                .thenComparing(r -> !r.target().equals("kairan")));
        Files.createDirectories(md.toAbsolutePath().getParent());
        Files.writeString(md, markdown(all));
        plot(all, png);
        System.out.println("report: " + md + ", plot: " + png);
        return 0;
    }

    private String markdown(List<Result> all) throws IOException {
        StringBuilder sb = new StringBuilder();
        JsonNode first = all.isEmpty() ? JSON.nullNode() : all.get(0).json();
        JsonNode params = first.path("params");
        sb.append("# ").append(title).append("\n\n");
        String firstAt = all.stream().map(r -> r.json().path("at").asText("?")).min(String::compareTo).orElse("?");
        String lastAt = all.stream().map(r -> r.json().path("at").asText("?")).max(String::compareTo).orElse("?");
        sb.append("One run, its results written from ").append(firstAt).append(" to ").append(lastAt)
                .append(" (UTC), set side by side by `PeerReport` (").append(all.size())
                .append(" results of `PeerBench`).\n\n");
        sb.append("**Machine:** ").append(machine()).append("\n\n");
        if (versions != null) {
            sb.append("**Versions:** ").append(versions).append("\n\n");
        }
        if (command != null) {
            sb.append("**Reproduce:** `").append(command).append("`\n\n");
        }
        sb.append("**Scenario, the same on both servers:** ").append(params.path("connections").asInt())
                .append(" WebSocket connections = ").append(params.path("rooms").asInt()).append(" rooms × ")
                .append(params.path("membersPerRoom").asInt()).append(" members (").append(params.path("sendersPerRoom").asInt())
                .append(" sending per room), one connection per user, every user in one room; ")
                .append(params.path("messageBytes").asInt()).append("-byte UTF-8 texts; open-model sending (each"
                        + " sender on its own schedule from a random phase, never waiting for answers); the rate rises"
                        + " in steps of ").append(params.path("stepSeconds").asInt()).append(" s (the first ")
                .append(params.path("stepWarmupSeconds").asInt()).append(" s of each not measured) until a step's"
                        + " send → deliver p99 exceeds ").append(fmt(params.path("kneeP99Ms").asDouble()))
                .append(" ms or it loses anything. Loopback only, no TLS, no presence beyond joining a room,"
                        + " every message written durably to the same MariaDB (`innodb_flush_log_at_trx_commit=1`)"
                        + " before it is delivered.\n\n");
        sb.append("""
                - **Kairan**: `message.send` on its gateway; stored by the group commit, then `message.ack` to the \
                sender and `message.posted` to every member's connection (the sender's included).
                - **ejabberd**: XMPP over WebSocket (RFC 7395), SCRAM-SHA-1 sign-in, a members-only persistent MUC \
                room per group with MAM archiving to MariaDB (`mod_mam`, `db_type: sql`, the stock MySQL schema); \
                a `groupchat` message is archived, then broadcast to every occupant (the sender included). The \
                reflection to the sender is its "stored" answer.
                - **Persisted msgs/s**: messages sent in a step's measured part that the server confirmed stored, per \
                second; the database's row count after the run is checked against them (below).
                - **Latency**: send → deliver at every receiver, from the driver's clock at send to Gatling's arrival \
                timestamp (whole milliseconds, so figures read up to 1 ms low); HdrHistogram.

                """);

        sb.append("## Targets\n\n");
        for (String placement : placements(all)) {
            Result k = find(all, "kairan", placement);
            Result e = find(all, "ejabberd", placement);
            if (k == null || e == null) {
                continue;
            }
            sb.append("### ").append(placementTitle(placement)).append("\n\n");
            sb.append("| | Kairan | ejabberd | Kairan ÷ ejabberd |\n| --- | --- | --- | --- |\n");
            double k50 = k.json().path("bestAtP99Under50Ms").path("persistedPerSecond").asDouble(0);
            double e50 = e.json().path("bestAtP99Under50Ms").path("persistedPerSecond").asDouble(0);
            sb.append("| persisted msgs/s at p99 ≤ 50 ms (highest clean step) | ").append(fmt(k50)).append(" | ")
                    .append(fmt(e50)).append(" | ").append(ratio(k50, e50)).append(" |\n");
            double kk = k.json().path("knee").path("persistedPerSecond").asDouble(0);
            double ek = e.json().path("knee").path("persistedPerSecond").asDouble(0);
            sb.append("| knee: last step with p99 ≤ 100 ms and no loss, persisted msgs/s | ").append(knee(k))
                    .append(" | ").append(knee(e)).append(" | ").append(ratio(kk, ek)).append(" |\n");
            sb.append("| what ended the ramp | ").append(stopped(k)).append(" | ").append(stopped(e)).append(" | |\n");
            double km = k.json().path("memory").path("serverKibPerConnection").asDouble(Double.NaN);
            double em = e.json().path("memory").path("serverKibPerConnection").asDouble(Double.NaN);
            sb.append("| server memory per connection (RSS growth ÷ connections) | ").append(kib(km)).append(" | ")
                    .append(kib(em)).append(" | ").append(ratio(km, em)).append(" |\n");
            sb.append("| server RSS with every connection open | ").append(mib(k, "serverRssConnectedMiB")).append(" | ")
                    .append(mib(e, "serverRssConnectedMiB")).append(" | |\n");
            sb.append("| messages sent / confirmed stored / rows added to the database | ").append(rows(k)).append(" | ")
                    .append(rows(e)).append(" | |\n");
            sb.append("| sign-in: connect → in the room, p50 / p99 (not comparable: see below) | ").append(login(k))
                    .append(" | ").append(login(e)).append(" | |\n\n");
            boolean throughput = e50 > 0 && k50 >= 1.5 * e50;
            boolean memory = !Double.isNaN(km) && !Double.isNaN(em) && km < em;
            sb.append("Kairan ≥ 1.5 × ejabberd's persisted msgs/s at p99 ≤ 50 ms: **").append(throughput ? "met" : "not met")
                    .append("** (").append(ratio(k50, e50)).append("). Lower memory per connection: **")
                    .append(memory ? "met" : "not met").append("**.\n\n");
        }

        sb.append("![send → deliver latency against offered load](").append(png.getFileName()).append(")\n\n");

        sb.append("## Every step\n\n");
        for (Result r : all) {
            sb.append("### ").append(r.target().equals("kairan") ? "Kairan" : "ejabberd").append(", ")
                    .append(placementTitle(r.placement())).append("\n\n");
            sb.append("| offered msgs/s | persisted msgs/s | deliveries/s (expected) | send → deliver p50 / p99 / p99.9 / max ms"
                    + " | send → stored p99 ms | missing / dup / order / errors | cores: server, database, driver |\n");
            sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
            for (JsonNode s : r.steps()) {
                JsonNode c = s.path("cores");
                sb.append("| ").append(fmt(s.path("offeredPerSecond").asDouble()))
                        .append(s.path("complete").asBoolean() ? "" : " (cut short)")
                        .append(" | ").append(fmt(s.path("persistedPerSecond").asDouble()))
                        .append(" | ").append(fmt(s.path("deliveriesPerSecond").asDouble())).append(" (")
                        .append(fmt(s.path("expectedDeliveriesPerSecond").asDouble())).append(")")
                        .append(" | ").append(ms(s, "deliverP50Ms")).append(" / ").append(ms(s, "deliverP99Ms"))
                        .append(" / ").append(ms(s, "deliverP999Ms")).append(" / ").append(ms(s, "deliverMaxMs"))
                        .append(" | ").append(ms(s, "storedP99Ms"))
                        .append(" | ").append(s.path("missing").asLong()).append(" / ").append(s.path("duplicates").asLong())
                        .append(" / ").append(s.path("orderViolations").asLong()).append(" / ")
                        .append(s.path("errors").asLong() + s.path("notStored").asLong())
                        .append(" | ").append(cores(c, "server")).append(", ").append(cores(c, "database")).append(", ")
                        .append(cores(c, "driver")).append(" |\n");
            }
            JsonNode t = r.json().path("totals");
            sb.append("\nConnections: ").append(r.json().path("connections").toString()).append(". Errors: ")
                    .append(t.path("errors").toString()).append(". Other frames: ").append(t.path("otherFrames").toString())
                    .append(".\n\n");
        }

        sb.append("""
                ## Reading it

                - **Placements.** *pinned*: MariaDB and the server under test share core 0 (`taskset -c 0`, started \
                so, so the JVM and the Erlang VM size themselves for one core) and the load driver has core 1; \
                *shared*: all three on both cores, as the operating system schedules them.
                - **Persisted.** Both servers confirm a message only after its row is committed. Kairan commits \
                messages of many rooms in one transaction (group commit, `messages.writer-lanes`), ejabberd inserts \
                each message in its own autocommit transaction from the room's process; with \
                `innodb_flush_log_at_trx_commit=1` every commit waits for the redo log's fsync, which InnoDB may \
                share between concurrent commits.
                - **Cut short.** The step in which the ramp stopped is shown but not judged; loss in it is the \
                overload the knee is about (messages still queued when the connections closed).
                - **Memory per connection** is the server process's RSS growth from before the first connection to \
                just before the first message, divided by the connections: what the operating system pays, with \
                whatever else the runtime did meanwhile (a JVM grows its heap lazily; the Erlang VM allocates per \
                process).
                - **Sign-in cost is not comparable** and is not part of the load: ejabberd checks a SCRAM-SHA-1 proof \
                (PBKDF2, 4,096 iterations, computed by the client) when the connection opens; a Kairan connection \
                presents an access token and a DPoP proof, and the password (Argon2id) and one-time password were \
                checked at sign-in over HTTP beforehand (the login bench measures that: see ops/bench/README.md).
                """);
        return sb.toString();
    }

    private static String placementTitle(String placement) {
        if (placement.equals("pinned")) {
            return "pinned (server + MariaDB on core 0, driver on core 1)";
        }
        if (placement.equals("shared")) {
            return "shared (everything on both cores)";
        }
        return placement;
    }

    private static List<String> placements(List<Result> all) {
        List<String> out = new ArrayList<>();
        for (Result r : all) {
            if (!out.contains(r.placement())) {
                out.add(r.placement());
            }
        }
        return out;
    }

    private static Result find(List<Result> all, String target, String placement) {
        return all.stream().filter(r -> r.target().equals(target) && r.placement().equals(placement)).findFirst()
                .orElse(null);
    }

    private static String knee(Result r) {
        JsonNode k = r.json().path("knee");
        if (k.path("lastGoodStep").asInt(-1) < 0) {
            return "none (the first step already failed)";
        }
        return fmt(k.path("persistedPerSecond").asDouble()) + " (offered " + fmt(k.path("offeredPerSecond").asDouble())
                + (k.path("reachedLastStep").asBoolean() ? ", the highest step run: the knee is above it)" : ")");
    }

    private static String stopped(Result r) {
        JsonNode k = r.json().path("knee");
        return k.path("reachedLastStep").asBoolean() ? "nothing: all steps ran" : k.path("stoppedBy").asText("?");
    }

    private static String rows(Result r) {
        JsonNode t = r.json().path("totals");
        return t.path("sent").asLong() + " / " + t.path("stored").asLong() + " / "
                + (t.path("rowsAdded").isNull() || t.path("rowsAdded").isMissingNode() ? "?" : t.path("rowsAdded").asLong());
    }

    private static String login(Result r) {
        JsonNode l = r.json().path("connectToReadyMs");
        return fmt(l.path("p50").asDouble()) + " / " + fmt(l.path("p99").asDouble()) + " ms";
    }

    private static String mib(Result r, String field) {
        JsonNode v = r.json().path("memory").path(field);
        return v.isNumber() ? fmt(v.asDouble()) + " MiB" : "?";
    }

    private static String kib(double v) {
        return Double.isNaN(v) ? "?" : fmt(v) + " KiB";
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static String ms(JsonNode s, String field) {
        return fmt(s.path(field).asDouble());
    }

    private static String cores(JsonNode c, String name) {
        return c.has(name) ? String.format(Locale.ROOT, "%.2f", c.path(name).asDouble()) : "–";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String machine() throws IOException {
        String model = "?";
        int cpus = Runtime.getRuntime().availableProcessors();
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                model = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        String mem = "?";
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                mem = String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0);
            }
        }
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        return cpus + " cores (" + model + "), " + mem + " RAM, Linux " + kernel + "; a shared VM: figures from"
                + " different runs can differ by more than the difference between servers, so compare within one run";
    }

    /** Latency p99 (solid) and p50 (thin) against offered load, log scale, one colour per server. */
    private static void plot(List<Result> all, Path file) throws IOException {
        int w = 1000;
        int h = 640;
        int left = 80;
        int right = 260;
        int top = 50;
        int bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double maxRate = 1;
        double maxMs = 100;
        for (Result r : all) {
            for (JsonNode s : r.steps()) {
                maxRate = Math.max(maxRate, s.path("offeredPerSecond").asDouble());
                maxMs = Math.max(maxMs, s.path("deliverP99Ms").asDouble());
            }
        }
        double minMs = 0.5;
        maxMs = Math.pow(10, Math.ceil(Math.log10(maxMs)));
        double xMax = niceCeil(maxRate * 1.05);
        int pw = w - left - right;
        int ph = h - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // grid
        g.setColor(new Color(0xdddddd));
        for (double ms = 1; ms <= maxMs; ms *= 10) {
            int y = yOf(ms, minMs, maxMs, top, ph);
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fmtTick(ms) + " ms", 10, y + 4);
            g.setColor(new Color(0xdddddd));
        }
        int ticks = 5;
        for (int i = 0; i <= ticks; i++) {
            double x = xMax * i / ticks;
            int px = left + (int) (pw * x / xMax);
            g.drawLine(px, top, px, top + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,.0f", x), px - 15, top + ph + 18);
            g.setColor(new Color(0xdddddd));
        }
        // thresholds
        Stroke dotted = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);
        g.setStroke(dotted);
        g.setColor(new Color(0x888888));
        for (double t : new double[] {50, 100}) {
            int y = yOf(t, minMs, maxMs, top, ph);
            g.drawLine(left, y, left + pw, y);
            g.drawString("p99 " + (int) t + " ms", left + pw - 80, y - 4);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("send → deliver latency against offered load", left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("offered messages per second (all rooms)", left + pw / 2 - 120, h - 25);
        // series
        int legendY = top + 10;
        for (Result r : all) {
            Color color = r.target().equals("kairan") ? KAIRAN : EJABBERD;
            boolean pinned = r.placement().equals("pinned");
            float[] dash = pinned ? null : new float[] {9f, 5f};
            for (String field : List.of("deliverP99Ms", "deliverP50Ms")) {
                boolean p99 = field.equals("deliverP99Ms");
                g.setColor(p99 ? color : color.brighter());
                g.setStroke(dash == null ? new BasicStroke(p99 ? 2.5f : 1.2f)
                        : new BasicStroke(p99 ? 2.5f : 1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
                Path2D line = new Path2D.Double();
                boolean started = false;
                for (JsonNode s : r.steps()) {
                    double x = left + pw * s.path("offeredPerSecond").asDouble() / xMax;
                    double y = yOf(Math.max(minMs, s.path(field).asDouble()), minMs, maxMs, top, ph);
                    if (started) {
                        line.lineTo(x, y);
                    } else {
                        line.moveTo(x, y);
                        started = true;
                    }
                    if (p99) {
                        g.fillOval((int) x - 4, (int) y - 4, 8, 8);
                    }
                }
                g.draw(line);
                g.drawLine(left + pw + 15, legendY, left + pw + 50, legendY);
                g.setColor(Color.BLACK);
                g.drawString((r.target().equals("kairan") ? "Kairan" : "ejabberd") + " " + r.placement() + " "
                        + (p99 ? "p99" : "p50"), left + pw + 58, legendY + 4);
                legendY += 20;
            }
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static int yOf(double ms, double minMs, double maxMs, int top, int ph) {
        double f = (Math.log10(ms) - Math.log10(minMs)) / (Math.log10(maxMs) - Math.log10(minMs));
        return top + ph - (int) Math.round(ph * f);
    }

    private static String fmtTick(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%,.0f", ms) : String.valueOf(ms);
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
