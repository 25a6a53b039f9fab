package io.procactor.bench;

import io.procactor.ActorProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle CPU: a node with {@link Scale#idleChildren()} idle children, CPU time of all of them over
 * {@link Scale#idleTime()} per round, as a percentage of one core. Heartbeats and timers are
 * all that should run.
 *
 * <p>Threading: called on the benchmark thread.
 */
final class IdleCpuBench {
    private final Bench bench;

    IdleCpuBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int n = bench.scale.idleChildren();
        bench.section("idle CPU: node and " + n + " idle children, " + bench.scale.idleTime().toMillis()
                + " ms per round, % of one core (CPU clock ticks are 10 ms per process)");
        Rounds.Figure cpu = new Rounds.Figure("idle" + n + "_cpu", "%core", Kind.OTHER);
        Rounds into = new Rounds();
        List<ActorProcess> children = MemoryBench.startIdle(bench, "idle-", n);
        try {
            List<Long> pids = new ArrayList<>();
            pids.add(bench.system().pid());
            children.forEach(p -> pids.add(p.pid()));
            for (int r = 0; r < bench.scale.rounds(); r++) {
                long cpu0 = ProcStats.cpuNanos(pids);
                long t0 = System.nanoTime();
                Thread.sleep(bench.scale.idleTime().toMillis()); // the figure is what runs while we wait
                long t1 = System.nanoTime();
                long cpu1 = ProcStats.cpuNanos(pids);
                into.add(cpu, 100.0 * (cpu1 - cpu0) / (t1 - t0));
            }
        } finally {
            Bench.stop(children);
        }
        bench.report(into);
    }
}
