package io.procactor.samples.doubler;

import io.procactor.ActorSystem;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.samples.ProgressBar;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code Pool(3).map(doubler, range(10))}: three worker processes share the numbers, and each
 * result says which process doubled it. The Python original, line for line:
 *
 * <pre>
 * def doubler(number):                         static Doubled doubler(int number) {
 *     result = number * 2                          int result = number * 2;
 *     proc = os.getpid()                           long proc = ProcessHandle.current().pid();
 *     print('{0} doubled to {1} by process id: {2}'.format(number, result, proc))
 *                                                  return new Doubled(number, result, proc); // the node prints it
 *                                              }
 * p = Pool(3)                                  Pool p = system.pool(PoolOptions.size(3));
 * p.map(doubler, range(0, 10))                 List&lt;Doubled&gt; results = p.map(PoolMapSample::doubler, numbers, timeout);
 * </pre>
 *
 * <p>With a large input ({@code new PoolMapSample(1_000_000)}, or from the command line
 * {@code procactor sample pool-map --set samples.pool-map.n=1000000}, or that key in a topology
 * file for {@code procactor run}) it prints a summary per process instead of a line per number,
 * and shows a progress bar on stderr while the map runs, if the JVM has a terminal.
 */
public final class PoolMapSample implements Sample {
    /** Configuration key that overrides the number of inputs, so a topology file can ask for a long run. */
    public static final String N_KEY = "samples.pool-map.n";
    /** Up to this many inputs, a line per number; above, a summary per process. */
    static final int LINE_PER_NUMBER_LIMIT = 100;
    /** From this many inputs on, the map is long enough to deserve a progress bar. */
    static final int PROGRESS_BAR_FROM = 10_000;

    private final int n;

    public PoolMapSample() {
        this(10);
    }

    public PoolMapSample(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be 0 or more, was [" + n + "]");
        }
        this.n = n;
    }

    /**
     * The result of one item. Python's doubler prints in the worker; here the worker returns what
     * it would print and the node prints it, because map returns results in input order while the
     * workers' own output would interleave in whatever order they ran.
     */
    public record Doubled(int number, int result, long pid) {
    }

    /**
     * Registers the result record and this class: a function runs in another process only if the
     * class it is written in is registered (docs/security.md).
     */
    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Doubled.class, 1000).register(PoolMapSample.class);
    }

    /** Python's {@code doubler}: runs in a worker process. */
    static Doubled doubler(int number) {
        int result = number * 2;
        long proc = ProcessHandle.current().pid();
        return new Doubled(number, result, proc);
    }

    @Override
    public String name() {
        return "pool-map";
    }

    @Override
    public String description() {
        return "Pool(3).map(doubler, range(" + n + ")): which worker process doubled which number, in input order";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        int count = system.config().hasPath(N_KEY) ? system.config().getInt(N_KEY) : n;
        List<Integer> numbers = IntStream.range(0, count).boxed().collect(Collectors.toList());
        // A small chunk size for long runs, so the progress bar moves smoothly; the automatic one
        // (about four chunks per worker, as Python's) is right for short runs and for throughput.
        int chunkSize = count >= PROGRESS_BAR_FROM ? 1_000 : 0;
        try (Pool p = system.pool(PoolOptions.size(3).name("doubler").chunkSize(chunkSize))) {
            // The workers' JVMs are launched by the time the pool exists (they become ready in the background).
            out.println("Pool of 3 worker processes: pids " + p.workers().stream()
                    .map(w -> String.valueOf(w.pid())).collect(Collectors.joining(", ")));
            long start = System.nanoTime();
            List<Doubled> results;
            // null for short runs: try-with-resources skips a null resource
            try (ProgressBar bar = count >= PROGRESS_BAR_FROM ? ProgressBar.start(p::completedTasks, count) : null) {
                results = p.map(PoolMapSample::doubler, numbers, Duration.ofMinutes(5));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).number() != i) { // map's promise: results in input order
                    throw new IllegalStateException("result " + i + " is for number " + results.get(i).number());
                }
            }
            if (count <= LINE_PER_NUMBER_LIMIT) {
                for (Doubled d : results) {
                    out.println(d.number() + " doubled to " + d.result() + " by process id: " + d.pid());
                }
            } else {
                Map<Long, Long> perPid = results.stream().collect(Collectors.groupingBy(Doubled::pid, TreeMap::new, Collectors.counting()));
                out.println(String.format(Locale.ROOT, "%d numbers doubled in %.2f second(s), results in input order", count, seconds));
                perPid.forEach((pid, k) -> out.println("  process id " + pid + " doubled " + k + " of them"));
            }
        }
    }
}
