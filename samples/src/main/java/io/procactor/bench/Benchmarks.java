package io.procactor.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The figures procactor is judged by, measured the same way every time ({@code bin/procactor
 * bench <name>}; see docs/benchmarks.md). Every figure has warm-up rounds and at least three
 * measured rounds, and is printed as one line a script can compare:
 *
 * <pre>RESULT &lt;name&gt; &lt;median&gt; &lt;unit&gt; min=&lt;..&gt; max=&lt;..&gt; rounds=&lt;n&gt; vs_block_floor=&lt;x&gt; vs_spin_floor=&lt;y&gt;</pre>
 *
 * with its ratio to two floors measured in the same run ({@link FloorBench}): the blocking and
 * the busy-polling Unix-socket ping-pong.
 *
 * <p>One class per workload family; {@link #run} is a switch over names, one {@code case} per
 * family. To add one: {@code case "x" -> new XBench(bench).run();} with {@code XBench} in this
 * package, taking the run's {@link Bench} (output, scale, floors, actor system, {@code measure}).
 *
 * <p>Threading: one thread calls {@link #run}.
 */
public final class Benchmarks {
    /** The names {@link #run} takes, for messages. */
    public static final String NAMES = "floors, tell, ask, reqreply, spawn, memory, memory200, idle, pool, messaging, channels, shm, tls, jmh or all";

    /** The JMH benchmarks of this package: {@link AskLatencyBenchmark}, {@link PoolMapBenchmark}. */
    public static final String JMH_BENCHMARKS = "io\\.procactor\\.bench\\..*Benchmark";

    private final PrintStream out;
    private final Scale scale;
    /** The current run's context, for the workloads' {@code case} lines. */
    private Bench bench;

    public Benchmarks(PrintStream out) {
        this(out, Scale.standard());
    }

    public Benchmarks(PrintStream out, Scale scale) {
        this.out = out;
        this.scale = scale;
    }

    public static void main(String[] args) throws Exception {
        new Benchmarks(System.out).run(args.length == 0 ? "all" : args[0]);
    }

    /**
     * Runs the benchmarks named {@code which}: one family, a group ({@code messaging}, {@code all}),
     * or {@code jmh}.
     *
     * @throws UnknownBenchmarkException naming the known names, before anything runs
     */
    public void run(String which) throws Exception {
        try (Bench b = new Bench(out, scale)) {
            bench = b;
            switch (which) {
                case "floors" -> bench.floors();
                case "tell" -> new TellBench(bench).run();
                case "ask" -> new AskBench(bench).run();
                case "reqreply" -> new RequestReplyBench(bench).run();
                case "spawn" -> new SpawnBench(bench).run();
                case "memory" -> new MemoryBench(bench).idleChildren();
                case "memory200" -> new MemoryBench(bench).manyChildren();
                case "idle" -> new IdleCpuBench(bench).run();
                case "pool" -> new PoolBench(bench).run();
                case "messaging" -> messaging();
                case "channels" -> new ChannelBenchmarks(out).run();
                case "shm" -> new ShmBenchmark(out).run();
                case "tls" -> new TlsBenchmark(out).run();
                case "jmh" -> jmh(new OptionsBuilder().include(JMH_BENCHMARKS).build());
                case "all" -> {
                    messaging();
                    new IdleCpuBench(bench).run();
                    new PoolBench(bench).run();
                }
                default -> throw new UnknownBenchmarkException(which);
            }
        } finally {
            bench = null;
        }
    }

    /** Tell, ask, request/reply, spawn and idle memory: everything between processes. */
    private void messaging() throws Exception {
        bench.floors();
        new TellBench(bench).run();
        new AskBench(bench).run();
        new RequestReplyBench(bench).run();
        new SpawnBench(bench).run();
        new MemoryBench(bench).idleChildren();
    }

    /** Runs JMH benchmarks (each in its own forked JVM unless the options say otherwise); JMH prints to {@code out}. */
    public Collection<RunResult> jmh(Options options) throws RunnerException {
        return new Runner(options, OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).run();
    }

    /** A body of work timed by {@link #rate}. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * For a simple throughput figure: {@code body} does {@code n} operations; prints a
     * {@code RESULT} line (name from {@code what}, unit ops/s) over {@code rounds} rounds after
     * {@code warmups}.
     */
    void rate(String what, int n, int warmups, int rounds, Body body) throws Exception {
        Rounds.Figure figure = new Rounds.Figure(what.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", ""),
                "ops/s", Kind.THROUGHPUT);
        bench.floors();
        for (int i = 0; i < warmups; i++) {
            body.run();
        }
        Rounds into = new Rounds();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            body.run();
            into.add(figure, n / ((System.nanoTime() - t0) / 1e9));
        }
        bench.report(into);
    }

    /** {@link #run} was given a name it does not know. */
    public static final class UnknownBenchmarkException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnknownBenchmarkException(String which) {
            super("unknown benchmark [" + which + "]; use " + NAMES);
        }
    }
}
