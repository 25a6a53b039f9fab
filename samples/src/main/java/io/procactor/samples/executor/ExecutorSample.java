package io.procactor.samples.executor;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Futures;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@code ProcessPoolExecutor}: five sleeps of 5, 4, 3, 2 and 1 seconds on five worker
 * processes, results printed as they complete, so the shortest comes first and the whole run takes
 * about as long as the longest sleep. The Python original:
 *
 * <pre>
 * with concurrent.futures.ProcessPoolExecutor(max_workers=5) as executor:
 *     secs = [5, 4, 3, 2, 1]
 *     futures = [executor.submit(do_something, sec) for sec in secs]
 *     for f in concurrent.futures.as_completed(futures):
 *         print(f.result())
 * print(f"Finished in {round(finish - start, 4)} second(s)")
 * </pre>
 */
public final class ExecutorSample implements Sample {
    private static final double[] SECS = {5, 4, 3, 2, 1};

    private final double scale;

    public ExecutorSample() {
        this(1.0);
    }

    /** Every sleep multiplied by {@code scale}: 0.2 makes them 1, 0.8, 0.6, 0.4 and 0.2 seconds. */
    public ExecutorSample(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, was [" + scale + "]");
        }
        this.scale = scale;
    }

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public String description() {
        String secs = Arrays.stream(SECS).mapToObj(sec -> Sleeper.format(sec * scale)).collect(Collectors.joining(", "));
        return "ProcessPoolExecutor(max_workers=5): sleeps of " + secs + " s on 5 worker processes, results as completed";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        // Python's `with` block: close() lets the submitted work finish, then stops the workers.
        try (Pool executor = system.pool(Props.create(Sleeper.class), PoolOptions.size(5).name("executor"))) {
            out.println(String.format(Locale.ROOT, "5 worker processes ready in %.2f second(s)", awaitWorkers(executor)));
            long start = System.nanoTime();
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (double sec : SECS) {
                futures.add(executor.submit(sec * scale));
            }
            for (CompletableFuture<String> f : Futures.asCompleted(futures)) {
                out.println(f.get()); // done already: get() does not block, and throws if the task failed
            }
            out.println(String.format(Locale.ROOT, "Finished in %.2f second(s)", (System.nanoTime() - start) / 1e9));
        }
    }

    /**
     * Waits until every worker of {@code pool} is up. Python forks its workers in milliseconds; a
     * worker JVM takes a second or so to start, and waiting here keeps that out of the timings and
     * lets every task start at the same moment, so they finish in the order of their lengths.
     *
     * @return the seconds it took
     */
    static double awaitWorkers(Pool pool) throws Exception {
        long start = System.nanoTime();
        for (ActorProcess worker : pool.workers()) {
            worker.ready().get(60, TimeUnit.SECONDS);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
