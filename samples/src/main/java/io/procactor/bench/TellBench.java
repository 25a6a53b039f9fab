package io.procactor.bench;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.util.List;

/**
 * One-way tell, flow-controlled: a {@link Producer} tells a {@link Sink} {@code Long} sequence
 * numbers, the sink acks every {@link Sink#ACK_EVERY} and the producer keeps at most
 * {@link Scale#tellWindow()} unacknowledged. Node to child (the producer is an actor of the node)
 * and child to child (producer and sink each in a child JVM, talking directly). Figures: messages
 * per second and CPU time of node and children together per million messages.
 *
 * <p>Threading: called on the benchmark thread.
 */
final class TellBench {
    private final Bench bench;

    TellBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        bench.floors(); // first, so its lines come before this family's
        ActorSystem system = bench.system();
        ActorProcess sink = system.spawnProcess(Props.create(Sink.class), "tell-sink");
        try {
            long sinkPid = sink.ready().get().pid();
            bench.section("tell node -> child: " + bench.scale.tellMessages() + " Long messages per round, ack every "
                    + Sink.ACK_EVERY + ", window " + bench.scale.tellWindow());
            ActorRef local = system.actorOf(Props.create(Producer.class, sink.ref(), bench.scale.tellWindow()), "tell-producer");
            measure("tell_node_child", local, List.of(system.pid(), sinkPid));

            bench.section("tell child -> child: the same, the producer in a second child JVM (children talk directly)");
            ActorProcess producer = system.spawnProcess(Props.create(Producer.class, sink.ref(), bench.scale.tellWindow()), "tell-producer");
            try {
                measure("tell_child_child", producer.ref(), List.of(system.pid(), sinkPid, producer.ready().get().pid()));
            } finally {
                Bench.stop(List.of(producer));
            }
        } finally {
            Bench.stop(List.of(sink));
        }
    }

    private void measure(String name, ActorRef producer, List<Long> pids) throws Exception {
        Rounds.Figure rate = new Rounds.Figure(name, "msgs/s", Kind.THROUGHPUT);
        Rounds.Figure cpu = new Rounds.Figure(name + "_cpu", "cpu_ms_per_M", Kind.OTHER);
        int n = bench.scale.tellMessages();
        bench.measure(into -> {
            long cpu0 = ProcStats.cpuNanos(pids);
            long t0 = System.nanoTime();
            Object reply = producer.ask(n, Bench.LONG).get();
            long t1 = System.nanoTime();
            long cpu1 = ProcStats.cpuNanos(pids);
            if (!Integer.valueOf(n).equals(reply)) {
                throw new IllegalStateException(name + ": the producer answered [" + reply + "] instead of " + n);
            }
            into.add(rate, n / ((t1 - t0) / 1e9));
            into.add(cpu, (cpu1 - cpu0) / 1e6 / n * 1e6);
        });
    }
}
