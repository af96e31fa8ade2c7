package jp.kairan.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time, memory and open files of a Linux process, from {@code /proc/<pid>/stat}, {@code status} and
 * {@code fd}.
 *
 * @param atMillis   when sampled, epoch milliseconds
 * @param cpuMillis  user + system CPU time so far
 * @param rssKib     resident set size now ({@code VmRSS})
 * @param peakRssKib highest resident set size so far ({@code VmHWM})
 * @param threads    threads now
 * @param fds        open file descriptors now (sockets included); -1 if not readable
 */
record ProcessStats(long atMillis, long cpuMillis, long rssKib, long peakRssKib, long threads, long fds) {
    /** USER_HZ: the unit of utime/stime, 100 on every Linux architecture that matters here. */
    private static final long TICKS_PER_SECOND = 100;

    /** Samples {@code pid} now; throws if the process is gone. */
    static ProcessStats sample(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            long rss = 0;
            long hwm = 0;
            long threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).strip());
                }
            }
            return new ProcessStats(System.currentTimeMillis(), ticks * 1000 / TICKS_PER_SECOND, rss, hwm, threads,
                    fds(proc));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + proc + " (is process " + pid + " running?)", e);
        }
    }

    /** Cores used on average between {@code earlier} and this sample (1.0 = one core fully busy). */
    double coresSince(ProcessStats earlier) {
        long wall = atMillis - earlier.atMillis;
        return wall <= 0 ? 0 : (double) (cpuMillis - earlier.cpuMillis) / wall;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static long fds(Path proc) {
        try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
            return entries.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
