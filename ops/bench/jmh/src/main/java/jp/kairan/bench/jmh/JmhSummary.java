package jp.kairan.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints a JMH JSON result file ({@code -rf json}) as a markdown table: per benchmark, the JVM, threads, µs/op
 * with its 99.9 % error, and ops/s (threads × 10^6 / µs per op). Used by {@code ops/bench/jmh-bench.sh}.
 */
public final class JmhSummary {
    private JmhSummary() {
    }

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        System.out.println("| benchmark | JVM | threads | forks × iterations | µs/op (± 99.9 %) | ops/s |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.') + 1);
            JsonNode m = r.path("primaryMetric");
            double score = m.path("score").asDouble();
            double error = m.path("scoreError").asDouble();
            String unit = m.path("scoreUnit").asText();
            int threads = r.path("threads").asInt(1);
            double usPerOp = switch (unit) {
                case "us/op" -> score;
                case "ns/op" -> score / 1000;
                case "ms/op" -> score * 1000;
                case "ops/us" -> 1 / score;
                case "ops/s" -> 1e6 / score;
                default -> Double.NaN;
            };
            double errorUs = unit.endsWith("/op") ? error * usPerOp / score : Double.NaN;
            String err = Double.isNaN(errorUs) ? "" : String.format(Locale.ROOT, " (± %.2f)", errorUs);
            System.out.printf(Locale.ROOT, "| %s | Java %s | %d | %d × %d | %s%s | %,.0f |%n", name,
                    r.path("jdkVersion").asText(), threads, r.path("forks").asInt(),
                    r.path("measurementIterations").asInt(), usPerOp < 10 ? String.format(Locale.ROOT, "%.3f", usPerOp)
                            : String.format(Locale.ROOT, "%.1f", usPerOp), err, threads * 1e6 / usPerOp);
        }
    }
}
