package jp.kairan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the measured processes ({@link ProcessStats}) at the moments of a run: {@code before} the connections,
 * {@code connected} (just before the first send), {@code measureFrom}, {@code sendEnd} and {@code after}.
 * Thread-safe.
 */
final class Sampler {
    private final Map<String, Long> pids;
    private final Map<String, Map<String, ProcessStats>> samples = new LinkedHashMap<>();
    private final Map<String, Double> loadAverages = new LinkedHashMap<>();
    private Thread follower;

    /** @param pids process name (server, database, driver) → pid */
    Sampler(Map<String, Long> pids) {
        this.pids = Map.copyOf(pids);
    }

    /** Samples every process now, as {@code moment}; a process that is gone is left out. */
    synchronized void sample(String moment) {
        Map<String, ProcessStats> now = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                now.put(name, ProcessStats.sample(pid));
            } catch (RuntimeException e) {
                // gone or not ours: the report shows it missing
            }
        });
        samples.put(moment, now);
        try {
            loadAverages.put(moment, Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        } catch (IOException | RuntimeException e) {
            // not Linux: no load average
        }
    }

    /** moment → the machine's 1-minute load average then (everything shares the cores: note it with figures). */
    synchronized Map<String, Double> loadAverages() {
        return new LinkedHashMap<>(loadAverages);
    }

    /** Samples at the timeline's moments once the simulation has fixed them, on a daemon thread. */
    void follow() {
        follower = new Thread(() -> {
            try {
                GatewayRun.Timeline t;
                while ((t = GatewayRun.timeline()) == null) {
                    Thread.sleep(100);
                }
                sleepUntil(t.sendStartMillis() - 1000);
                sample("connected");
                sleepUntil(t.measureFromMillis());
                sample("measureFrom");
                sleepUntil(t.sendEndMillis());
                sample("sendEnd");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-sampler");
        follower.setDaemon(true);
        follower.start();
    }

    void stop() {
        if (follower != null) {
            follower.interrupt();
        }
    }

    /** moment → process name → sample, in the order taken. */
    synchronized Map<String, Map<String, ProcessStats>> samples() {
        return new LinkedHashMap<>(samples);
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
