package io.procactor.bench;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Spawn: {@code spawnProcess} of one child until its first reply to an ask, and of
 * {@link Scale#spawnMany()} children at once until all have replied. Each round's children are
 * stopped (and waited for) before the next round. The warm-up rounds also write the class-data
 * sharing archive when the node runs from a jar. Those children are cold starts: the figures run in
 * a system of their own with {@code procactor.child.spares = 0}. Then {@code spawn1_spare_first_reply}:
 * the same for one child taken from a warm spare, in a system with {@code spares = 1}, each round
 * waiting first for the spare (and, after the first, its replacement) to be warm
 * ({@link ActorSystem#sparesReady()}).
 *
 * <p>Threading: called on the benchmark thread.
 */
final class SpawnBench {
    private final Bench bench;
    private int seq;

    SpawnBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        try (ActorSystem cold = ActorSystem.create("bench-spawn", ConfigFactory.parseString("procactor.child.spares = 0")
                .withFallback(ConfigFactory.load()))) {
            run(cold);
        }
        try (ActorSystem warm = ActorSystem.create("bench-spare", ConfigFactory.parseString(
                "procactor.child { spares = 1, spares-start = system-start }").withFallback(ConfigFactory.load()))) {
            bench.section("spawn from a warm spare: spawnProcess to first reply of 1 child, the spare warm beforehand");
            Rounds.Figure spare = new Rounds.Figure("spawn1_spare_first_reply", "ms", Kind.OTHER);
            bench.measure(into -> {
                warm.sparesReady().get(Bench.LONG.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                into.add(spare, spawnAndAsk(warm, 1).wallMs());
            });
        }
    }

    private void run(ActorSystem system) throws Exception {
        int many = bench.scale.spawnMany();
        bench.section("spawn: spawnProcess to first reply of 1 child, and of " + many + " children at once to all replied");
        Rounds.Figure one = new Rounds.Figure("spawn1_first_reply", "ms", Kind.OTHER);
        Rounds.Figure oneCpu = new Rounds.Figure("spawn1_child_cpu", "ms", Kind.OTHER);
        bench.measure(into -> {
            Spawned s = spawnAndAsk(system, 1);
            into.add(one, s.wallMs());
            into.add(oneCpu, s.childCpuMs());
        });
        Rounds.Figure all = new Rounds.Figure("spawn" + many + "_all_replied", "ms", Kind.OTHER);
        Rounds.Figure allCpu = new Rounds.Figure("spawn" + many + "_children_cpu", "ms", Kind.OTHER);
        bench.measure(into -> {
            Spawned s = spawnAndAsk(system, many);
            into.add(all, s.wallMs());
            into.add(allCpu, s.childCpuMs());
        });
    }

    /**
     * Milliseconds from spawning children to the last one's reply, and the CPU time the children had
     * used by then, all their threads (JIT compilers included): unlike wall time, barely moved by
     * other load on the machine.
     */
    private record Spawned(double wallMs, double childCpuMs) {
    }

    private Spawned spawnAndAsk(ActorSystem system, int n) throws Exception {
        List<ActorProcess> children = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            List<CompletableFuture<Object>> replies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ActorProcess p = system.spawnProcess(Props.create(Doubler.class), "spawn-" + seq++);
                children.add(p);
                replies.add(p.ref().ask(i, Bench.LONG));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get();
            double wallMs = (System.nanoTime() - t0) / 1e6;
            List<Long> pids = new ArrayList<>(n);
            children.forEach(p -> pids.add(p.pid()));
            return new Spawned(wallMs, ProcStats.onCpuNanos(pids) / 1e6);
        } finally {
            Bench.stop(children);
        }
    }
}
