package io.procactor.bench;

import io.procactor.ActorProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle CPU: a node with {@link Scale#idleChildren()} idle children, CPU time of all of them over
 * {@link Scale#idleTime()} per round, as a percentage of one core, after the usual warm-up rounds.
 * Heartbeats and timers are all that should run. Read per thread in nanoseconds: a process's
 * 10 ms clock ticks are too coarse for a few milliseconds per second. The measuring itself is left
 * out: the reading thread is not counted, and the reader is compiled before the rounds.
 *
 * <p>Threading: called on the benchmark thread.
 */
final class IdleCpuBench {
    private static final int READER_WARMUPS = 300;

    private final Bench bench;

    IdleCpuBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int n = bench.scale.idleChildren();
        bench.section("idle CPU: node and " + n + " idle children, " + bench.scale.idleTime().toMillis()
                + " ms per round, % of one core (nanoseconds on the CPU of every thread, /proc/PID/task/*/schedstat)");
        Rounds.Figure cpu = new Rounds.Figure("idle" + n + "_cpu", "%core", Kind.OTHER);
        Rounds into = new Rounds();
        List<ActorProcess> children = MemoryBench.startIdle(bench, "idle-", n);
        try {
            List<Long> pids = new ArrayList<>();
            pids.add(bench.system().pid());
            children.forEach(p -> pids.add(p.pid()));
            // The node's JIT compiles the reader when it has run often enough; a compile inside a round
            // would be counted as the node's. Run it that often before the rounds.
            for (int i = 0; i < READER_WARMUPS; i++) {
                ProcStats.onCpuNanos(pids);
            }
            int warmups = bench.scale.warmups();
            for (int r = 0; r < warmups + bench.scale.rounds(); r++) {
                long cpu0 = ProcStats.onCpuNanos(pids);
                long t0 = System.nanoTime();
                Thread.sleep(bench.scale.idleTime().toMillis()); // the figure is what runs while we wait
                long t1 = System.nanoTime();
                long cpu1 = ProcStats.onCpuNanos(pids);
                if (r >= warmups) { // the first rounds still see the start's tail: JIT compiles, first beats
                    into.add(cpu, 100.0 * (cpu1 - cpu0) / (t1 - t0));
                }
            }
        } finally {
            Bench.stop(children);
        }
        bench.report(into);
    }
}
