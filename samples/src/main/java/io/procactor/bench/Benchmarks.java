package io.procactor.bench;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Futures;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The figures procactor is judged by, measured the same way every time: each benchmark warms up,
 * then reports the best of several rounds (and the median, where rounds vary). Run with
 * {@code bin/procactor bench [pool|messaging|jmh|all]} ({@code all} is pool and messaging; the JMH
 * benchmarks cross-check ask latency and {@code Pool.map} throughput under JMH's harness).
 */
public final class Benchmarks {
    private static final Duration LONG = Duration.ofMinutes(5);
    private final PrintStream out;

    public Benchmarks(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        new Benchmarks(System.out).run(args.length == 0 ? "all" : args[0]);
    }

    public void run(String which) throws Exception {
        out.printf("machine: %d cpus, %s %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        switch (which) {
            case "pool" -> pool();
            case "messaging" -> messaging();
            case "channels" -> new ChannelBenchmarks(out).run();
            case "jmh" -> jmh(new OptionsBuilder().include(JMH_BENCHMARKS).build());
            case "shm" -> new ShmBenchmark(out).run();
            case "all" -> {
                messaging();
                pool();
            }
            default -> throw new IllegalArgumentException("unknown benchmark [" + which + "]; use pool, messaging, jmh or all");
        }
    }

    /** The JMH benchmarks of this package: {@link AskLatencyBenchmark}, {@link PoolMapBenchmark}. */
    public static final String JMH_BENCHMARKS = "io\\.procactor\\.bench\\..*Benchmark";

    /** Runs JMH benchmarks (each in its own forked JVM unless the options say otherwise); JMH prints to {@code out}. */
    public java.util.Collection<RunResult> jmh(Options options) throws RunnerException {
        return new Runner(options, OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).run();
    }

    // ---- pools (issue: Pool.map vs Python's multiprocessing.Pool) ----

    void pool() throws Exception {
        try (ActorSystem system = ActorSystem.create("bench-pool")) {
            List<Integer> million = IntStream.range(0, 1_000_000).boxed().collect(Collectors.toList());
            try (Pool pool = system.pool(Props.create(Doubler.class), PoolOptions.size(2).name("auto"))) {
                rate("pool(2).map n=1000000 automatic chunks", 1_000_000, 3, 7, () -> check(pool.map(million, LONG)));
            }
            List<Integer> small = million.subList(0, 200_000);
            try (Pool pool = system.pool(Props.create(Doubler.class), PoolOptions.size(2).chunkSize(1).name("single"))) {
                rate("pool(2).map n=200000 chunkSize=1", 200_000, 3, 5, () -> check(pool.map(small, LONG)));
                rate("pool(2) submit+asCompleted n=100000", 100_000, 2, 5, () -> {
                    List<CompletableFuture<Integer>> fs = new ArrayList<>(100_000);
                    for (int i = 0; i < 100_000; i++) {
                        fs.add(pool.submit(i));
                    }
                    for (CompletableFuture<Integer> f : Futures.asCompleted(fs, LONG)) {
                        f.join();
                    }
                });
            }
            speedup(system);
        }
    }

    private static void check(List<Integer> results) {
        if (results.get(results.size() - 1) != 2 * (results.size() - 1)) {
            throw new AssertionError("wrong map result");
        }
    }

    private void speedup(ActorSystem system) throws Exception {
        int tasks = 16;
        int rounds = 60_000_000; // ~50-100 ms of work per task
        List<Integer> work = java.util.Collections.nCopies(tasks, rounds);
        double[] seconds = new double[2];
        for (int size = 1; size <= 2; size++) {
            try (Pool pool = system.pool(Props.create(CpuTask.class), PoolOptions.size(size).chunkSize(1).name("cpu" + size))) {
                pool.map(work.subList(0, size * 2), LONG); // warm up every worker's JIT
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 3; r++) {
                    long t0 = System.nanoTime();
                    pool.map(work, LONG);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                seconds[size - 1] = best;
            }
        }
        out.printf("cpu-bound %d tasks: pool(1) %.2f s, pool(2) %.2f s, speed-up %.2fx%n",
                tasks, seconds[0], seconds[1], seconds[0] / seconds[1]);
    }

    // ---- messaging (DESIGN.md's list) ----

    void messaging() throws Exception {
        double rawRtt = rawUnixSocketRoundTripMicros();
        out.printf("raw unix-socket round trip (JDK NIO, 1 byte, same machine): p50 %.1f us%n", rawRtt);
        try (ActorSystem system = ActorSystem.builder("bench-msg").build()) {
            List<Double> spawn = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                ActorProcess p = system.spawnProcess(Props.create(Sink.class), "spawn-" + i);
                p.ref().ask("count?", LONG).get();
                spawn.add((System.nanoTime() - t0) / 1e6);
                if (i == 0) {
                    out.printf("idle child RSS: %d MB%n", rssMb(p.pid()));
                }
                p.terminate();
                p.join(LONG);
            }
            out.printf("child spawn to first reply: %s ms (first is cold)%n",
                    spawn.stream().map(d -> String.format("%.0f", d)).collect(Collectors.joining(", ")));

            ActorProcess sinkProc = system.spawnProcess(Props.create(Sink.class), "sink");
            ActorRef sink = sinkProc.ref();
            int n = 1_000_000;
            sink.ask("count?", LONG).get();
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink.tell(i);
                }
                long target = (round + 1L) * n;
                while (sink.<Long>ask("count?", LONG).get() < target) {
                    Thread.onSpinWait();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (round > 0) {
                    out.printf("tell node -> child, 1M Integer messages: %.0f msgs/s%n", n / s);
                }
            }
            ActorProcess echoProc = system.spawnProcess(Props.create(Doubler.class), "echo");
            ActorRef echo = echoProc.ref();
            for (int i = 0; i < 20_000; i++) {
                echo.ask(i, LONG).get(); // warm up
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < 50_000; i++) {
                long t0 = System.nanoTime();
                echo.ask(i, LONG).get();
                h.recordValue(System.nanoTime() - t0);
            }
            out.printf("ask round trip, one in flight (50000 asks): p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n",
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3);
        }
    }

    private static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** The physical floor: a 1-byte ping-pong over a Unix domain socket between two threads. */
    static double rawUnixSocketRoundTripMicros() throws Exception {
        Path dir = Files.createTempDirectory("procactor-bench");
        Path sock = dir.resolve("raw.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread echo = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    while (c.read(b) > 0) {
                        b.flip();
                        c.write(b);
                        b.clear();
                    }
                } catch (IOException e) {
                    // client closed
                }
            });
            echo.start();
            long[] samples = new long[50_000];
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                ByteBuffer b = ByteBuffer.allocate(1);
                for (int i = 0; i < 70_000; i++) {
                    long t0 = System.nanoTime();
                    b.clear().put((byte) 1).flip();
                    c.write(b);
                    b.clear();
                    c.read(b);
                    if (i >= 20_000) {
                        samples[i - 20_000] = System.nanoTime() - t0;
                    }
                }
            }
            echo.join();
            Arrays.sort(samples);
            return samples[samples.length / 2] / 1e3;
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private void rate(String what, int n, int warmups, int rounds, Body body) throws Exception {
        for (int i = 0; i < warmups; i++) {
            body.run();
        }
        double[] rates = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            body.run();
            rates[i] = n / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        out.printf("%s: best %,.0f tasks/s, median %,.0f tasks/s%n", what, rates[rounds - 1], rates[rounds / 2]);
    }
}
