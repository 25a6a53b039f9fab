package io.procactor.bench;

import io.procactor.ActorSystem;
import io.procactor.Futures;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Scratch driver; the real harness is in {@code Benchmarks}. */
public final class PoolBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (ActorSystem system = ActorSystem.create("bench");
             Pool pool = system.pool(Props.create(Doubler.class), PoolOptions.size(2).chunkSize(chunk))) {
            List<Integer> inputs = IntStream.range(0, n).boxed().collect(Collectors.toList());
            for (int round = 0; round < Integer.getInteger("rounds", 5); round++) {
                long t0 = System.nanoTime();
                List<Integer> out = pool.map(inputs, Duration.ofMinutes(5));
                long ns = System.nanoTime() - t0;
                if (out.get(n - 1) != 2 * (n - 1)) {
                    throw new AssertionError("wrong result");
                }
                System.out.printf("map n=%d chunk=%d: %.0f tasks/s (%.1f ms)%n", n, chunk, n / (ns / 1e9), ns / 1e6);
            }
            int m = Math.min(n, 100_000);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                List<CompletableFuture<Integer>> fs = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    fs.add(pool.submit(i));
                }
                int c = 0;
                for (CompletableFuture<Integer> f : Futures.asCompleted(fs)) {
                    f.get(1, TimeUnit.MINUTES);
                    c++;
                }
                long ns = System.nanoTime() - t0;
                System.out.printf("submit+asCompleted n=%d: %.0f tasks/s%n", c, c / (ns / 1e9));
            }
        }
    }
}
