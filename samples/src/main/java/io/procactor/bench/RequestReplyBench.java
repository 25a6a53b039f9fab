package io.procactor.bench;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Actor-to-actor request/reply by tell: a {@link Requester} actor of the node and a
 * {@link Doubler} in a child JVM, no futures; one request in flight (latency percentiles) and
 * {@link Scale#IN_FLIGHT} in flight (requests per second, 99th percentile, CPU per million).
 *
 * <p>Threading: called on the benchmark thread.
 */
final class RequestReplyBench {
    private final Bench bench;

    RequestReplyBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        bench.floors(); // first, so its lines come before this family's
        ActorSystem system = bench.system();
        ActorProcess responder = system.spawnProcess(Props.create(Doubler.class), "rr-responder");
        try {
            List<Long> pids = List.of(system.pid(), responder.ready().get().pid());
            int n = bench.scale.requests();
            bench.section("request/reply by tell, node actor -> child actor -> node actor, one in flight: " + n + " requests per round");
            ActorRef one = system.actorOf(Props.create(Requester.class, responder.ref(), 1), "rr-requester-1");
            measure("reqreply1", one, n, pids, false);
            int m = bench.scale.pipelinedRequests();
            bench.section("request/reply by tell, " + Scale.IN_FLIGHT + " in flight: " + m + " requests per round");
            ActorRef many = system.actorOf(Props.create(Requester.class, responder.ref(), Scale.IN_FLIGHT), "rr-requester-" + Scale.IN_FLIGHT);
            measure("reqreply" + Scale.IN_FLIGHT, many, m, pids, true);
        } finally {
            Bench.stop(List.of(responder));
        }
    }

    private void measure(String name, ActorRef requester, int n, List<Long> pids, boolean pipelined) throws Exception {
        Rounds.Figure rate = new Rounds.Figure(name, "req/s", Kind.THROUGHPUT);
        Rounds.Figure p50 = new Rounds.Figure(name + "_p50", "us", Kind.P50);
        Rounds.Figure p99 = new Rounds.Figure(name + "_p99", "us", Kind.P99);
        Rounds.Figure p999 = new Rounds.Figure(name + "_p999", "us", Kind.P999);
        Rounds.Figure cpu = new Rounds.Figure(name + "_cpu", "cpu_ms_per_M", Kind.OTHER);
        bench.measure(into -> {
            long cpu0 = ProcStats.cpuNanos(pids);
            long t0 = System.nanoTime();
            Object reply = requester.ask((long) n, Bench.LONG).get();
            long t1 = System.nanoTime();
            long cpu1 = ProcStats.cpuNanos(pids);
            if (!(reply instanceof long[] latencies) || latencies.length != n) {
                throw new IllegalStateException(name + ": the requester answered [" + reply + "] instead of " + n + " latencies");
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            for (long l : latencies) {
                h.recordValue(l);
            }
            if (pipelined) {
                into.add(rate, n / ((t1 - t0) / 1e9));
                into.add(p99, h.getValueAtPercentile(99) / 1e3);
                into.add(cpu, (cpu1 - cpu0) / 1e6 / n * 1e6);
            } else {
                into.add(p50, h.getValueAtPercentile(50) / 1e3);
                into.add(p99, h.getValueAtPercentile(99) / 1e3);
                into.add(p999, h.getValueAtPercentile(99.9) / 1e3);
            }
        });
    }
}
