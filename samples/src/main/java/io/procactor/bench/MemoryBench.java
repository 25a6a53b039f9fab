package io.procactor.bench;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Memory of idle children, from {@code /proc/<pid>/smaps_rollup}: RSS and PSS of each of
 * {@link Scale#memoryChildren()} children alive together (one value per child), and the total of
 * {@link Scale#manyChildren()} children ({@code bench memory200}: slow, so not in {@code all}).
 * PSS splits pages shared between the children (class-data sharing, the JDK's libraries), so it
 * is what each child really adds. No floors: nothing here is compared with a socket.
 *
 * <p>Threading: called on the benchmark thread.
 */
final class MemoryBench {
    private final Bench bench;
    /** Seconds from the first spawn to the last ready of the latest {@link #startIdle}. */
    private double readySeconds;

    MemoryBench(Bench bench) {
        this.bench = bench;
    }

    void idleChildren() throws Exception {
        int n = bench.scale.memoryChildren();
        bench.section("memory: RSS and PSS of each of " + n + " idle children alive together, "
                + bench.scale.settle().toMillis() + " ms after they were ready (one value per child)");
        Rounds.Figure rss = new Rounds.Figure("child_rss", "MiB", Kind.OTHER);
        Rounds.Figure pss = new Rounds.Figure("child_pss", "MiB", Kind.OTHER);
        Rounds into = new Rounds();
        List<ActorProcess> children = startIdle("mem-", n);
        try {
            for (ActorProcess p : children) {
                ProcStats.Memory m = ProcStats.memory(p.pid());
                into.add(rss, m.rssMib());
                into.add(pss, m.pssMib());
            }
        } finally {
            Bench.stop(children);
        }
        bench.report(into);
    }

    void manyChildren() throws Exception {
        int n = bench.scale.manyChildren();
        bench.section("memory of " + n + " idle children started at once (one round: it is slow)");
        String name = "children" + n;
        Rounds into = new Rounds();
        List<ActorProcess> children = startIdle("many-", n);
        try {
            long rss = 0;
            long pss = 0;
            for (ActorProcess p : children) {
                ProcStats.Memory m = ProcStats.memory(p.pid());
                rss += m.rssKib();
                pss += m.pssKib();
            }
            into.add(new Rounds.Figure(name + "_all_ready", "s", Kind.OTHER), readySeconds);
            into.add(new Rounds.Figure(name + "_total_rss", "MiB", Kind.OTHER), rss / 1024.0);
            into.add(new Rounds.Figure(name + "_total_pss", "MiB", Kind.OTHER), pss / 1024.0);
            into.add(new Rounds.Figure(name + "_pss_per_child", "MiB", Kind.OTHER), pss / 1024.0 / n);
            into.add(new Rounds.Figure(name + "_node_rss", "MiB", Kind.OTHER), ProcStats.memory(bench.system().pid()).rssMib());
        } finally {
            Bench.stop(children);
        }
        bench.report(into);
    }

    /**
     * Starts {@code n} {@link Sink} children at once, waits until all are ready, then lets them
     * settle. The class-data archive is written first, so the figures are those of a deployment's
     * children, not of a fresh machine's first ones.
     */
    private List<ActorProcess> startIdle(String prefix, int n) throws Exception {
        ActorSystem system = bench.systemWithArchive();
        List<ActorProcess> children = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                children.add(system.spawnProcess(Props.create(Sink.class), prefix + i));
            }
            CompletableFuture.allOf(children.stream().map(ActorProcess::ready).toArray(CompletableFuture[]::new)).get();
            readySeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(bench.scale.settle().toMillis()); // idle means idle: let start-up work (JIT, GC) finish
            return children;
        } catch (Exception | Error e) {
            Bench.stop(children);
            throw e;
        }
    }

    /** For {@link IdleCpuBench}: the same start. */
    static List<ActorProcess> startIdle(Bench bench, String prefix, int n) throws Exception {
        return new MemoryBench(bench).startIdle(prefix, n);
    }
}
