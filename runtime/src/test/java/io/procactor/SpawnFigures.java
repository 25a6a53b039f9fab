package io.procactor;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.TestActors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13's spawn and memory figures, as a main (not a test): cold spawn of 1 child to its first
 * reply, 10 at once to all replied, spawn from a warm spare, and the idle RSS and PSS of children
 * ({@code /proc/PID/smaps_rollup}). Run it on a class path of jars (class-data sharing needs jars):
 * see docs/benchmarks.md, section "Spawn and idle memory". Prints one {@code RESULT} line per figure.
 *
 * <p>Single-threaded (the main thread).
 */
public final class SpawnFigures {
    private static final Duration T = Duration.ofSeconds(60);
    private static int seq;

    private SpawnFigures() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 5);
        int spares = Integer.getInteger("spares", 1);
        String conf = "procactor.child.spares = " + spares;
        try (ActorSystem system = ActorSystem.create("figures", ConfigFactory.parseString(conf)
                .withFallback(ConfigFactory.load()))) {
            // warm-up: the first child writes the class-data sharing archive when it exits
            for (int i = 0; i < 2; i++) {
                ActorProcess p = spawnAndAsk(system, ProcessOptions.defaults());
                long t0 = System.nanoTime();
                stop(p);
                System.out.printf("RESULT warm-up-%d-stop-ms %.1f (the first writes the archive as it exits)%n", i + 1,
                        (System.nanoTime() - t0) / 1e6);
            }
            ProcessOptions cold = ProcessOptions.defaults().environment(java.util.Map.of("PROCACTOR_FIGURES", "cold"));
            if (Boolean.getBoolean("spareOnly")) {
                spareRounds(system, spares, rounds);
                return;
            }
            if (Boolean.getBoolean("memoryOnly")) {
                idleMemory(system, cold);
                return;
            }
            long[] coldCpu = new long[rounds];
            int[] coldRound = {0};
            report("cold-1-ms", rounds, () -> spawnOne(system, cold, p -> {
                coldCpu[coldRound[0]++] = cpuMicros(p.pid());
                if (coldRound[0] == rounds) {
                    System.out.println("cold child CPU by thread (ms): " + cpuByThread(p.pid()));
                }
            }));
            System.out.printf("RESULT cold-1-child-cpu-ms median=%.1f all=%s%n", median(coldCpu) / 1000.0, Arrays.toString(coldCpu));
            if (Boolean.getBoolean("coldOnly")) {
                return;
            }
            report("cold-10-ms", Math.max(1, rounds / 2), () -> spawnTen(system, cold));
            spareRounds(system, spares, rounds);
            idleMemory(system, cold);
        }
    }

    /** Spawn from a warm spare to the first reply, {@code rounds} times (none without spares). */
    private static void spareRounds(ActorSystem system, int spares, int rounds) throws Exception {
        if (spares == 0) {
            return;
        }
        long[] cpu = new long[rounds];
        int[] round = {0};
        report("spare-1-ms", rounds, () -> {
            awaitWarmSpares(system, spares);
            long pid = system.node().sparePids().get(0);
            long before = cpuMicros(pid);
            java.util.Map<String, Long> byThread = cpuMapByThread(pid);
            long us = spawnOne(system, ProcessOptions.defaults(), p -> {
                cpu[round[0]++] = cpuMicros(pid) - before;
                System.out.println("spare hand-over CPU by thread (ms): " + cpuDelta(pid, byThread));
                if (round[0] == rounds) {
                    System.out.println("spare child CPU by thread (ms, since its start): " + cpuByThread(pid));
                }
            });
            return us;
        });
        System.out.printf("RESULT spare-1-child-cpu-ms median=%.1f all=%s%n", median(cpu) / 1000.0, Arrays.toString(cpu));
    }

    private static ActorProcess spawnAndAsk(ActorSystem system, ProcessOptions options) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "f" + (++seq), options);
        Object r = p.ref().ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS);
        if (!Integer.valueOf(42).equals(r)) {
            throw new IllegalStateException("unexpected reply " + r);
        }
        return p;
    }

    /** Microseconds from spawnProcess to the first reply; the process is stopped after. */
    private static long spawnOne(ActorSystem system, ProcessOptions options) throws Exception {
        return spawnOne(system, options, p -> { });
    }

    private static long spawnOne(ActorSystem system, ProcessOptions options, Body afterReply) throws Exception {
        long t0 = System.nanoTime();
        ActorProcess p = spawnAndAsk(system, options);
        long us = (System.nanoTime() - t0) / 1000;
        afterReply.run(p);
        stop(p);
        return us;
    }

    interface Body {
        void run(ActorProcess p) throws Exception;
    }

    /** CPU microseconds of {@code pid}'s live threads, by thread name (numbers stripped). */
    static java.util.Map<String, Long> cpuMapByThread(long pid) throws IOException {
        java.util.Map<String, Long> by = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                    by.merge(name, ns / 1000, Long::sum);
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        return by;
    }

    /** What each thread of {@code pid} spent since {@code before} (microseconds), largest first, as text. */
    static String cpuDelta(long pid, java.util.Map<String, Long> before) throws IOException {
        java.util.Map<String, Long> now = cpuMapByThread(pid);
        return now.entrySet().stream().map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 50).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue() / 1000.0).collect(java.util.stream.Collectors.joining(", "));
    }

    /** CPU ms of {@code pid}'s live threads, by thread name (numbers stripped), largest first. */
    static String cpuByThread(long pid) throws IOException {
        return cpuMapByThread(pid).entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue() / 1000).collect(java.util.stream.Collectors.joining(", "));
    }

    /** CPU time of every thread of {@code pid} so far (schedstat: time on CPU, in ns), in microseconds. */
    static long cpuMicros(long pid) throws IOException {
        long ns = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    ns += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return ns / 1000;
    }

    /** Microseconds from the first of 10 spawnProcess calls to the last reply; the processes are stopped after. */
    private static long spawnTen(ActorSystem system, ProcessOptions options) throws Exception {
        long t0 = System.nanoTime();
        List<ActorProcess> ps = new ArrayList<>();
        List<CompletableFuture<Object>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "f" + (++seq), options);
            ps.add(p);
            replies.add(p.ref().ask(i, T));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(T.toMillis(), TimeUnit.MILLISECONDS);
        long us = (System.nanoTime() - t0) / 1000;
        for (ActorProcess p : ps) {
            stop(p);
        }
        return us;
    }

    private static void stop(ActorProcess p) throws InterruptedException {
        p.terminate();
        p.join(T);
    }

    private static void awaitWarmSpares(ActorSystem system, int n) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (system.node().warmSpares() < n && System.nanoTime() < deadline) {
            Thread.sleep(20); // a measurement main, not a test: polling is fine
        }
        Thread.sleep(500); // let the replaced spare's start-up CPU settle
    }

    private static void idleMemory(ActorSystem system, ProcessOptions options) throws Exception {
        List<ActorProcess> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ps.add(spawnAndAsk(system, options));
        }
        Thread.sleep(Long.getLong("holdMillis", 3000));
        long[] rss = new long[ps.size()];
        long[] pss = new long[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            long[] m = rollup(ps.get(i).pid());
            rss[i] = m[0];
            pss[i] = m[1];
            if (Boolean.getBoolean("dumpSmaps")) { // for finding where a child's memory goes
                Files.copy(Path.of("/proc/" + ps.get(i).pid() + "/smaps"), Path.of("/tmp/smaps-" + ps.get(i).pid() + ".txt"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.println("RESULT idle-rss-kib median=" + median(rss) + " all=" + Arrays.toString(rss));
        System.out.println("RESULT idle-pss-kib median=" + median(pss) + " all=" + Arrays.toString(pss));
        for (ActorProcess p : ps) {
            stop(p);
        }
    }

    /** Rss and Pss of {@code pid} in KiB. */
    static long[] rollup(long pid) throws IOException {
        long rss = 0;
        long pss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (line.startsWith("Rss:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Pss:")) {
                pss = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {rss, pss};
    }

    interface Timed {
        long run() throws Exception;
    }

    private static void report(String what, int rounds, Timed round) throws Exception {
        long[] us = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            us[i] = round.run();
        }
        long[] sorted = us.clone();
        Arrays.sort(sorted);
        System.out.printf("RESULT %s median=%.1f min=%.1f max=%.1f rounds=%d%n", what, median(us) / 1000.0,
                sorted[0] / 1000.0, sorted[rounds - 1] / 1000.0, rounds);
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
