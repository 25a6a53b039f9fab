package io.procactor.bench;

import io.procactor.ActorSystem;
import io.procactor.Futures;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Pools against Python's {@code multiprocessing.Pool} ({@code samples/src/main/python/pool_bench.py}
 * runs the same tasks): {@code Pool.map} of x -> 2x over two workers with automatic chunks and with
 * chunk size 1, {@code submit} + {@code Futures.asCompleted}, and the speed-up of 16 CPU-bound
 * tasks on pool(2) over pool(1).
 *
 * <p>Threading: called on the benchmark thread.
 */
final class PoolBench {
    private final Bench bench;

    PoolBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        bench.floors(); // first, so its lines come before this family's
        ActorSystem system = bench.system();
        int n = bench.scale.poolTasks();
        List<Integer> tasks = IntStream.range(0, n).boxed().collect(Collectors.toList());
        bench.section("pool(2).map of x -> 2x, " + n + " tasks, automatic chunks");
        try (Pool pool = system.pool(Props.create(Doubler.class), PoolOptions.size(2).name("pool-auto"))) {
            rate("pool_map_auto", n, () -> check(pool.map(tasks, Bench.LONG)));
        }
        List<Integer> small = tasks.subList(0, n / 5);
        bench.section("pool(2).map, " + small.size() + " tasks, chunk size 1 (one message per task); then submit + asCompleted of "
                + n / 10 + " tasks");
        try (Pool pool = system.pool(Props.create(Doubler.class), PoolOptions.size(2).chunkSize(1).name("pool-single"))) {
            rate("pool_map_chunk1", small.size(), () -> check(pool.map(small, Bench.LONG)));
            int m = n / 10;
            rate("pool_submit", m, () -> {
                List<CompletableFuture<Integer>> fs = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    fs.add(pool.submit(i));
                }
                for (CompletableFuture<Integer> f : Futures.asCompleted(fs, Bench.LONG)) {
                    f.join();
                }
            });
        }
        speedup(system);
    }

    private interface Body {
        void run() throws Exception;
    }

    private void rate(String name, int n, Body body) throws Exception {
        Rounds.Figure rate = new Rounds.Figure(name, "tasks/s", Kind.THROUGHPUT);
        bench.measure(into -> {
            long t0 = System.nanoTime();
            body.run();
            into.add(rate, n / ((System.nanoTime() - t0) / 1e9));
        });
    }

    private static void check(List<Integer> results) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) != 2 * i) {
                throw new IllegalStateException("Pool.map result " + i + " is " + results.get(i) + ", not " + 2 * i);
            }
        }
    }

    private void speedup(ActorSystem system) throws Exception {
        int tasks = 16;
        List<Integer> work = Collections.nCopies(tasks, bench.scale.cpuTaskRounds());
        bench.section("CPU-bound: " + tasks + " equal tasks on pool(1) and on pool(2); speed-up = time(1) / time(2)");
        Rounds.Figure one = new Rounds.Figure("pool1_cpu_tasks", "s", Kind.OTHER);
        Rounds.Figure two = new Rounds.Figure("pool2_cpu_tasks", "s", Kind.OTHER);
        Rounds.Figure speedup = new Rounds.Figure("pool_speedup", "x", Kind.OTHER);
        try (Pool p1 = system.pool(Props.create(CpuTask.class), PoolOptions.size(1).chunkSize(1).name("cpu1"));
             Pool p2 = system.pool(Props.create(CpuTask.class), PoolOptions.size(2).chunkSize(1).name("cpu2"))) {
            p1.map(work.subList(0, 2), Bench.LONG); // every worker up and its JIT warm
            p2.map(work.subList(0, 4), Bench.LONG);
            bench.measure(into -> {
                double s1 = seconds(() -> p1.map(work, Bench.LONG));
                double s2 = seconds(() -> p2.map(work, Bench.LONG));
                into.add(one, s1);
                into.add(two, s2);
                into.add(speedup, s1 / s2);
            });
        }
    }

    private static double seconds(Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
