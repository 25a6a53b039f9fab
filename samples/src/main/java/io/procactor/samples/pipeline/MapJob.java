package io.procactor.samples.pipeline;

import io.procactor.Actor;
import io.procactor.ActorRef;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A job that maps the numbers 0..n-1 over a pool (Python's {@code pool.map(square, range(n))}):
 * on its start message (any string) it sends every input to the pool's ref, puts each result in
 * its input's place as it arrives, and when all are in reports them, in input order, to
 * {@code report} (the topology runner prints them), then {@code "done"}.
 */
public final class MapJob extends Actor {
    private final ActorRef pool;
    private final ActorRef report;
    private final int n;
    private final long[] results;
    private final boolean[] filled;
    private final Map<String, Integer> perWorker = new TreeMap<>();
    private int received;
    private long startNanos;

    public MapJob(ActorRef pool, ActorRef report, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more, was [" + n + "]");
        }
        this.pool = pool;
        this.report = report;
        this.n = n;
        this.results = new long[n];
        this.filled = new boolean[n];
    }

    @Override
    protected void onReceive(Object message) {
        if (message instanceof String && startNanos == 0) {
            startNanos = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pool.tell(new MapTask(i, i), self());
            }
        } else if (message instanceof MapResult r && !filled[r.index()]) {
            filled[r.index()] = true;
            results[r.index()] = r.value();
            perWorker.merge(r.worker(), 1, Integer::sum);
            if (++received == n) {
                long millis = (System.nanoTime() - startNanos) / 1_000_000;
                report.tell("pool-map: mapped " + n + " inputs in " + millis + " ms");
                String shown = Arrays.stream(results).limit(10).mapToObj(Long::toString).collect(Collectors.joining(", "));
                report.tell("pool-map: results [" + shown + (n > 10 ? ", ..." : "") + "]");
                report.tell("pool-map: sum " + LongStream.of(results).sum());
                perWorker.forEach((worker, count) -> report.tell("pool-map: computed by " + worker + ": " + count));
                report.tell("done");
            }
        } else {
            unhandled(message);
        }
    }
}
