package io.procactor.bench;

import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one ask at a time from the node to an actor in a child JVM and back (two Kryo encodes and
 * decodes, two socket hops, the actor's mailbox hand-off). Sampled, so the output has percentiles.
 * Run with {@code bin/procactor bench jmh}.
 *
 * <p>Threading: JMH runs the benchmark method on one thread; setup and teardown on that thread too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AskLatencyBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ActorSystem system;
    private ActorRef echo;
    private int next;

    @Setup(Level.Trial)
    public void start() throws Exception {
        system = ActorSystem.create("jmh-ask");
        echo = system.spawnProcess(Props.create(Doubler.class), "echo").ref();
        echo.ask(0, TIMEOUT).get(); // its JVM is up
    }

    @TearDown(Level.Trial)
    public void stop() {
        system.close();
    }

    @Benchmark
    public Object askRoundTrip() throws Exception {
        return echo.ask(next++ & 0xFFFF, TIMEOUT).get();
    }
}
