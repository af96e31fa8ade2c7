package jp.kairan.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints a JMH JSON result file ({@code -rf json}) as a markdown table: per benchmark, the JVM, threads, µs/op
 * with its 99.9 % error, ops/s (threads × 10^6 / µs per op) and, for sampled modes, percentiles. Used by {@code ops/bench/jmh-bench.sh}.
 */
public final class JmhSummary {
    private JmhSummary() {
    }

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        System.out.println("| benchmark | mode | JVM | threads | forks × iterations | µs/op (± 99.9 %) | ops/s | p50 / p99 / p99.9 µs |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
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
            JsonNode p = m.path("scorePercentiles");
            String percentiles = r.path("mode").asText().equals("sample") && p.has("99.0")
                    ? String.format(Locale.ROOT, "%.1f / %.1f / %.1f", scaled(p.path("50.0"), unit), scaled(p.path("99.0"), unit),
                            scaled(p.path("99.9"), unit))
                    : "";
            System.out.printf(Locale.ROOT, "| %s | %s | Java %s | %d | %d × %d | %s%s | %,.0f | %s |%n", name, r.path("mode").asText(),
                    r.path("jdkVersion").asText(), threads, r.path("forks").asInt(),
                    r.path("measurementIterations").asInt(), usPerOp < 10 ? String.format(Locale.ROOT, "%.3f", usPerOp)
                            : String.format(Locale.ROOT, "%.1f", usPerOp), err, threads * 1e6 / usPerOp, percentiles);
        }
    }

    private static double scaled(JsonNode value, String unit) {
        double v = value.asDouble();
        return switch (unit) {
            case "ns/op" -> v / 1000;
            case "ms/op" -> v * 1000;
            default -> v;
        };
    }
}
