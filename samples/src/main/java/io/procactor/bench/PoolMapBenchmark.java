package io.procactor.bench;

import io.procactor.ActorSystem;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: {@code Pool.map} of trivial tasks (x -> 2x) over two worker JVMs, one message per task
 * (chunk size 1) or automatic chunks (chunk size 0); the score is tasks per second. Run with
 * {@code bin/procactor bench jmh}.
 *
 * <p>Threading: JMH runs the benchmark method on one thread; setup and teardown on that thread too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PoolMapBenchmark {
    static final int TASKS = 20_000;

    @Param({"1", "0"})
    public int chunkSize;

    private ActorSystem system;
    private Pool pool;
    private List<Integer> inputs;

    @Setup(Level.Trial)
    public void start() {
        system = ActorSystem.create("jmh-pool");
        pool = system.pool(Props.create(Doubler.class), PoolOptions.size(2).chunkSize(chunkSize).name("jmh"));
        inputs = IntStream.range(0, TASKS).boxed().collect(Collectors.toList());
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
        system.close();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public List<Integer> map() throws Exception {
        return pool.map(inputs, Duration.ofMinutes(1));
    }
}
