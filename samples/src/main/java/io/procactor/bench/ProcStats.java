package io.procactor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * What Linux says about a process: CPU time ({@code /proc/<pid>/stat} through
 * {@link ProcessHandle.Info#totalCpuDuration()}, in clock ticks of 10 ms) and memory
 * ({@code /proc/<pid>/smaps_rollup}: RSS counts every resident page, PSS divides each shared page
 * by the number of processes mapping it, so it shows what class-data sharing saves).
 *
 * <p>Stateless and thread-safe.
 */
final class ProcStats {
    private ProcStats() {
    }

    /** User plus system CPU time of {@code pid} so far, in nanoseconds. */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("no CPU time for pid " + pid
                        + ": the process has exited or /proc/" + pid + "/stat is not readable"));
    }

    /** Sum of {@link #cpuNanos} over {@code pids}. */
    static long cpuNanos(Collection<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += cpuNanos(pid);
        }
        return sum;
    }

    /**
     * Nanoseconds on the CPU of the live threads of {@code pids} ({@code /proc/PID/task/TID/schedstat},
     * exact, unlike the 10 ms ticks of {@link #cpuNanos}), except the calling thread: it is the one
     * measuring, and reading a few hundred files costs it milliseconds that are not what is measured.
     * The time of threads that already ended is not counted, so use it where threads live as long as
     * the measurement (idle processes).
     */
    static long onCpuNanos(Collection<Long> pids) {
        Path self = callingThreadTask();
        long sum = 0;
        for (long pid : pids) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    if (task.equals(self)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(task.resolve("schedstat"));
                        sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended while we listed: its time is not counted, as said above
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("no CPU time for pid " + pid + ": the process has exited or /proc/" + pid
                        + "/task is not readable (" + e + ")");
            }
        }
        return sum;
    }

    /** {@code /proc/PID/task/TID} of the calling thread, or null where {@code /proc/thread-self} (Linux 3.17+) is missing. */
    private static Path callingThreadTask() {
        try {
            return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Resident set size and proportional set size, in KiB. */
    record Memory(long rssKib, long pssKib) {
        double rssMib() {
            return rssKib / 1024.0;
        }

        double pssMib() {
            return pssKib / 1024.0;
        }
    }

    static Memory memory(long pid) {
        Path rollup = Path.of("/proc/" + pid + "/smaps_rollup");
        try {
            long rss = -1;
            long pss = -1;
            for (String line : Files.readAllLines(rollup)) {
                if (line.startsWith("Rss:")) {
                    rss = kib(line);
                } else if (line.startsWith("Pss:")) {
                    pss = kib(line);
                }
            }
            if (rss < 0 || pss < 0) {
                throw new IllegalStateException(rollup + " has no Rss or Pss line; a Linux kernel of 4.14 or later is needed");
            }
            return new Memory(rss, pss);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + rollup + " (the memory figures need Linux 4.14+ and a live process)", e);
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The first three fields of {@code /proc/loadavg}, or "?" where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
