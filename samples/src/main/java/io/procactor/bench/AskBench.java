package io.procactor.bench;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.Props;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * {@code ActorRef.ask} from a node thread to a {@link Doubler} in a child JVM: one in flight
 * (latency percentiles of the round trip) and {@link Scale#IN_FLIGHT} in flight (asks per second,
 * 99th percentile, CPU time of node and child per million asks).
 *
 * <p>Threading: called on the benchmark thread; the pipelined figure's futures complete on the
 * runtime's dispatcher threads, which record into a synchronized histogram.
 */
final class AskBench {
    private final Bench bench;

    AskBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        bench.floors(); // first, so its lines come before this family's
        ActorProcess echo = bench.system().spawnProcess(Props.create(Doubler.class), "ask-echo");
        try {
            echo.ready().get();
            oneInFlight(echo.ref());
            pipelined(echo.ref(), List.of(bench.system().pid(), echo.pid()));
        } finally {
            Bench.stop(List.of(echo));
        }
    }

    private void oneInFlight(ActorRef echo) throws Exception {
        int n = bench.scale.asks();
        bench.section("ask node -> child -> node, one in flight: " + n + " asks per round");
        Rounds.Figure p50 = new Rounds.Figure("ask1_p50", "us", Kind.P50);
        Rounds.Figure p99 = new Rounds.Figure("ask1_p99", "us", Kind.P99);
        Rounds.Figure p999 = new Rounds.Figure("ask1_p999", "us", Kind.P999);
        bench.measure(into -> {
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Integer r = echo.<Integer>ask(i, Bench.LONG).get();
                h.recordValue(System.nanoTime() - t0);
                if (r != 2 * i) {
                    throw new IllegalStateException("ask " + i + " answered " + r);
                }
            }
            into.add(p50, h.getValueAtPercentile(50) / 1e3);
            into.add(p99, h.getValueAtPercentile(99) / 1e3);
            into.add(p999, h.getValueAtPercentile(99.9) / 1e3);
        });
    }

    private void pipelined(ActorRef echo, List<Long> pids) throws Exception {
        int n = bench.scale.pipelinedAsks();
        String name = "ask" + Scale.IN_FLIGHT;
        bench.section("ask, " + Scale.IN_FLIGHT + " in flight: " + n + " asks per round");
        Rounds.Figure rate = new Rounds.Figure(name, "asks/s", Kind.THROUGHPUT);
        Rounds.Figure p99 = new Rounds.Figure(name + "_p99", "us", Kind.P99);
        Rounds.Figure cpu = new Rounds.Figure(name + "_cpu", "cpu_ms_per_M", Kind.OTHER);
        bench.measure(into -> {
            Histogram h = new SynchronizedHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            Semaphore slots = new Semaphore(Scale.IN_FLIGHT);
            CountDownLatch done = new CountDownLatch(n);
            AtomicReference<Object> wrong = new AtomicReference<>();
            long cpu0 = ProcStats.cpuNanos(pids);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                slots.acquire();
                long t0 = System.nanoTime();
                int expected = 2 * i;
                echo.<Integer>ask(i, Bench.LONG).whenComplete((r, e) -> {
                    h.recordValue(System.nanoTime() - t0);
                    if (e != null || r != expected) {
                        wrong.compareAndSet(null, e != null ? e : "answer " + r + " instead of " + expected);
                    }
                    slots.release();
                    done.countDown();
                });
            }
            if (!done.await(Bench.LONG.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": " + done.getCount() + " asks unanswered after " + Bench.LONG);
            }
            long end = System.nanoTime();
            long cpu1 = ProcStats.cpuNanos(pids);
            if (wrong.get() != null) {
                throw new IllegalStateException(name + ": an ask failed: " + wrong.get());
            }
            into.add(rate, n / ((end - start) / 1e9));
            into.add(p99, h.getValueAtPercentile(99) / 1e3);
            into.add(cpu, (cpu1 - cpu0) / 1e6 / n * 1e6);
        });
    }
}
