package io.procactor.samples.executor;

import io.procactor.ActorSystem;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Two one-second tasks submitted to a pool of two workers, then their results taken in turn:
 * both run at once, so the two take about one second, not two. The Python original:
 *
 * <pre>
 * with concurrent.futures.ProcessPoolExecutor(max_workers=2) as executor:
 *     future1 = executor.submit(do_something, 1)
 *     future2 = executor.submit(do_something, 1)
 *     print(future1.result())
 *     print(future2.result())
 * </pre>
 */
public final class TwoFuturesSample implements Sample {
    @Override
    public String name() {
        return "two-futures";
    }

    @Override
    public String description() {
        return "two 1 s sleeps submitted to a 2-worker pool, results taken with get(): about 1 s in all";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        try (Pool executor = system.pool(Props.create(Sleeper.class), PoolOptions.size(2).name("executor"))) {
            out.println(String.format(Locale.ROOT, "2 worker processes ready in %.2f second(s)", ExecutorSample.awaitWorkers(executor)));
            long start = System.nanoTime();
            CompletableFuture<String> future1 = executor.submit(1.0);
            CompletableFuture<String> future2 = executor.submit(1.0);
            out.println(future1.get()); // Python's future.result(): blocks until the task is done
            out.println(future2.get());
            out.println(String.format(Locale.ROOT, "Finished in %.2f second(s)", (System.nanoTime() - start) / 1e9));
        }
    }
}
