package jp.kairan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The gateway bench's results: printed, and written as {@code summary.json} and {@code summary.md}. */
final class GatewayReport {
    private final Map<String, Object> params;
    private final Ledger.Verdict v;
    private final GatewayRun.Timeline timeline;
    private final Map<String, Map<String, ProcessStats>> samples;
    private final int gatlingStatus;
    private final Map<String, Double> loadAverages;
    private final double seconds;

    GatewayReport(Map<String, Object> params, Ledger.Verdict verdict, GatewayRun.Timeline timeline,
                  Map<String, Map<String, ProcessStats>> samples, Map<String, Double> loadAverages, int gatlingStatus) {
        this.loadAverages = loadAverages;
        this.params = params;
        this.v = verdict;
        this.timeline = timeline;
        this.samples = samples;
        this.gatlingStatus = gatlingStatus;
        this.seconds = ((Number) params.get("durationSeconds")).doubleValue();
    }

    Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bench", "gateway");
        doc.put("at", Instant.now().toString());
        doc.put("javaVersion", System.getProperty("java.version"));
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("params", params);
        if (timeline != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("start", Instant.ofEpochMilli(timeline.startMillis()).toString());
            t.put("sendStart", Instant.ofEpochMilli(timeline.sendStartMillis()).toString());
            t.put("measureFrom", Instant.ofEpochMilli(timeline.measureFromMillis()).toString());
            t.put("sendEnd", Instant.ofEpochMilli(timeline.sendEndMillis()).toString());
            t.put("drainEnd", Instant.ofEpochMilli(timeline.drainEndMillis()).toString());
            doc.put("timeline", t);
        }
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put("target", params.get("connections"));
        connections.put("ready", v.readyConnections());
        connections.put("lateNotJudged", v.lateConnections());
        connections.put("failed", v.unreadyConnections());
        connections.put("lostDuringRun", v.lostConnections());
        doc.put("connections", connections);
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("targetMsgsPerSecond", params.get("targetMsgsPerSecond"));
        rates.put("sentPerSecond", round(v.sentInWindow() / seconds));
        rates.put("ackedPerSecond", round(v.ackedInWindow() / seconds));
        rates.put("deliveriesPerSecond", round(v.deliveredInWindow() / seconds));
        rates.put("expectedDeliveriesPerSecond", round(((Number) params.get("targetMsgsPerSecond")).doubleValue()
                * ((Number) params.get("membersPerRoom")).doubleValue()));
        doc.put("rates", rates);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("sendToAckMillis", percentiles(v.ackMicros()));
        latency.put("sendToDeliverMillis", percentiles(v.deliverMicros()));
        latency.put("connectToReadyMillis", percentiles(v.readyMicros()));
        doc.put("latency", latency);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sent", v.sent());
        counts.put("acked", v.acked());
        counts.put("ackedAsDuplicate", v.ackedDuplicate());
        counts.put("unanswered", v.unacked());
        counts.put("delivered", v.delivered());
        counts.put("missingDeliveries", v.missing());
        counts.put("missingAtSendersOwnConnection", v.missingAtSender());
        counts.put("missingAtLostConnections", v.missingAtLost());
        counts.put("messagesWithLoss", v.messagesWithLoss());
        counts.put("duplicates", v.duplicates());
        counts.put("orderViolations", v.orderViolations());
        counts.put("foreignRoom", v.foreignRoom());
        doc.put("counts", counts);
        doc.put("errorsByCode", v.errors());
        doc.put("closedByServer", CloseCounter.counts());
        doc.put("otherFrames", v.otherFrames());
        doc.put("processes", processes());
        doc.put("loadAverage1m", loadAverages);
        doc.put("gatlingExitStatus", gatlingStatus);
        doc.put("clean", v.clean());
        return doc;
    }

    private Map<String, Object> processes() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, ProcessStats> before = samples.getOrDefault("before", Map.of());
        Map<String, ProcessStats> connected = samples.getOrDefault("connected", Map.of());
        Map<String, ProcessStats> from = samples.getOrDefault("measureFrom", Map.of());
        Map<String, ProcessStats> to = samples.getOrDefault("sendEnd", Map.of());
        int n = ((Number) params.get("connections")).intValue();
        for (String name : before.keySet()) {
            Map<String, Object> p = new LinkedHashMap<>();
            ProcessStats b = before.get(name);
            ProcessStats c = connected.get(name);
            ProcessStats f = from.get(name);
            ProcessStats t = to.get(name);
            if (f != null && t != null) {
                p.put("coresWhileMeasured", round2(t.coresSince(f)));
                p.put("cpuMillisPer1000Acks", v.ackedInWindow() == 0 ? null
                        : round((t.cpuMillis() - f.cpuMillis()) * 1000.0 / v.ackedInWindow()));
            }
            if (b != null && c != null) {
                p.put("coresWhileConnecting", round2(c.coresSince(b)));
            }
            p.put("rssMiBBefore", b == null ? null : mib(b.rssKib()));
            p.put("rssMiBConnected", c == null ? null : mib(c.rssKib()));
            p.put("rssMiBAtSendEnd", t == null ? null : mib(t.rssKib()));
            p.put("peakRssMiB", t == null ? null : mib(t.peakRssKib()));
            if (b != null && c != null) {
                p.put("rssKiBPerConnection", round((double) (c.rssKib() - b.rssKib()) / n));
            }
            if (t != null) {
                p.put("rssKiBPerConnectionTotal", round((double) t.rssKib() / n));
                p.put("threads", t.threads());
            }
            p.put("openFilesConnected", c == null ? null : c.fds());
            out.put(name, p);
        }
        return out;
    }

    void print(PrintStream out) {
        Map<String, Object> doc = toJson();
        out.println();
        out.println("=== gateway bench ===");
        out.print(markdown(doc));
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> doc = toJson();
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("summary.json").toFile(), doc);
        Files.writeString(dir.resolve("summary.md"), markdown(doc), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private String markdown(Map<String, Object> doc) {
        StringBuilder s = new StringBuilder();
        Map<String, Object> c = (Map<String, Object>) doc.get("connections");
        Map<String, Object> r = (Map<String, Object>) doc.get("rates");
        Map<String, Object> counts = (Map<String, Object>) doc.get("counts");
        Map<String, Object> lat = (Map<String, Object>) doc.get("latency");
        s.append(String.format(Locale.ROOT, "connections: %s target, %s ready, %s late (not judged), %s failed, %s lost during"
                        + " the run; %s rooms × %s members, %s sending per room%n",
                c.get("target"), c.get("ready"), c.get("lateNotJudged"), c.get("failed"), c.get("lostDuringRun"), params.get("rooms"),
                params.get("membersPerRoom"), params.get("sendersPerRoom")));
        s.append(String.format(Locale.ROOT, "measured %s s after %s s warm-up: target %s msgs/s; sent %s/s; acked (persisted) %s/s;"
                        + " deliveries %s/s (expected %s/s)%n%n", params.get("durationSeconds"), params.get("warmupSeconds"),
                r.get("targetMsgsPerSecond"), r.get("sentPerSecond"), r.get("ackedPerSecond"), r.get("deliveriesPerSecond"),
                r.get("expectedDeliveriesPerSecond")));
        s.append("| latency (ms) | count | p50 | p99 | p99.9 | max |\n| --- | --- | --- | --- | --- | --- |\n");
        Map<String, String> rows = Map.of("sendToAckMillis", "send → ack", "sendToDeliverMillis", "send → deliver",
                "connectToReadyMillis", "connect → session.ready (all connections)");
        for (String name : new String[] {"sendToAckMillis", "sendToDeliverMillis", "connectToReadyMillis"}) {
            Map<String, Object> p = (Map<String, Object>) lat.get(name);
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", rows.get(name),
                    p.get("count"), p.get("p50"), p.get("p99"), p.get("p99.9"), p.get("max")));
        }
        s.append(String.format(Locale.ROOT, "%nwhole run: sent %s, acked %s (%s as duplicate), unanswered %s, delivered %s;"
                        + " missing deliveries %s (at the sender's own connection %s, at lost connections %s;"
                        + " messages affected %s),"
                        + " duplicates %s, order violations %s, other room %s%n",
                counts.get("sent"), counts.get("acked"), counts.get("ackedAsDuplicate"), counts.get("unanswered"),
                counts.get("delivered"), counts.get("missingDeliveries"), counts.get("missingAtSendersOwnConnection"),
                counts.get("missingAtLostConnections"), counts.get("messagesWithLoss"), counts.get("duplicates"), counts.get("orderViolations"),
                counts.get("foreignRoom")));
        s.append("errors by code: ").append(((Map<?, ?>) doc.get("errorsByCode")).isEmpty() ? "none" : doc.get("errorsByCode"))
                .append('\n');
        s.append("connections closed by the server (code/reason): ")
                .append(((Map<?, ?>) doc.get("closedByServer")).isEmpty() ? "none" : doc.get("closedByServer")).append('\n');
        s.append("other frames: ").append(((Map<?, ?>) doc.get("otherFrames")).isEmpty() ? "none" : doc.get("otherFrames"))
                .append("\n\n");
        Map<String, Object> procs = (Map<String, Object>) doc.get("processes");
        s.append("| process | cores (measured) | cores (connecting) | CPU ms / 1000 acks | RSS before | RSS connected"
                + " | RSS end | peak RSS | KiB / connection | threads | open files |\n");
        s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        procs.forEach((name, value) -> {
            Map<String, Object> p = (Map<String, Object>) value;
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s MiB | %s MiB | %s MiB | %s MiB | %s | %s | %s |%n",
                    name, p.get("coresWhileMeasured"), p.get("coresWhileConnecting"), p.get("cpuMillisPer1000Acks"),
                    p.get("rssMiBBefore"), p.get("rssMiBConnected"), p.get("rssMiBAtSendEnd"), p.get("peakRssMiB"),
                    p.get("rssKiBPerConnection"), p.get("threads"), p.get("openFilesConnected")));
        });
        s.append(String.format(Locale.ROOT, "%nmachine load (1-minute average) at %s%n", doc.get("loadAverage1m")));
        s.append(String.format(Locale.ROOT, "Gatling exit status %s; verdict: %s%n", doc.get("gatlingExitStatus"),
                Boolean.TRUE.equals(doc.get("clean")) ? "no loss, no duplicates" : "LOSS OR DUPLICATES"));
        return s.toString();
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        p.put("p50", ms(h, 50));
        p.put("p99", ms(h, 99));
        p.put("p99.9", ms(h, 99.9));
        p.put("max", h.getTotalCount() == 0 ? null : round(h.getMaxValue() / 1000.0));
        return p;
    }

    private static Double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? null : round(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double mib(long kib) {
        return round(kib / 1024.0);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
