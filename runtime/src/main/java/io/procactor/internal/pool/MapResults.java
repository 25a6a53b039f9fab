package io.procactor.internal.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Assembles the results of one map from its chunks, in input order, and completes the map's
 * future once every chunk is in: with the list, or with a failure that says it was a map, how many
 * inputs failed and which, each with its cause ({@link PoolFailures#mapFailed}). Thread-safe:
 * chunks finish on I/O, scheduler and runtime threads.
 */
final class MapResults<R> {
    private final String pool;
    private final Object[] results;
    private final CompletableFuture<List<R>> future;
    private final Executor executor;
    private final TreeMap<Integer, Throwable> firstFailed = new TreeMap<>(); // at most INDICES_SHOWN, smallest indices
    private int failed;
    private int chunksLeft;

    MapResults(String pool, int inputs, int chunks, CompletableFuture<List<R>> future, Executor executor) {
        this.pool = pool;
        this.results = new Object[inputs];
        this.chunksLeft = chunks;
        this.future = future;
        this.executor = executor;
    }

    /** The outcome of the chunk of {@code size} inputs from {@code start}: per-item results, or one error for all. */
    void chunkDone(int start, int size, List<Object> chunkResults, Throwable error) {
        boolean last;
        synchronized (this) {
            for (int i = 0; i < size; i++) {
                Object r = error != null ? null : chunkResults.get(i);
                Throwable t = error != null ? error : PoolFailures.failureOf(r);
                if (t != null) {
                    failed++;
                    firstFailed.put(start + i, t);
                    if (firstFailed.size() > PoolFailures.INDICES_SHOWN) {
                        firstFailed.pollLastEntry();
                    }
                    r = null;
                }
                results[start + i] = r;
            }
            last = --chunksLeft == 0;
        }
        if (last) {
            // the caller's callbacks run on the runtime executor, not on an I/O thread
            executor.execute(this::complete);
        }
    }

    @SuppressWarnings("unchecked")
    private void complete() {
        RuntimeException failure = null;
        synchronized (this) {
            if (failed > 0) {
                List<PoolFailures.Failed> shown = new ArrayList<>();
                firstFailed.forEach((i, t) -> shown.add(new PoolFailures.Failed(i, t)));
                failure = PoolFailures.mapFailed(pool, results.length, failed, shown);
            }
        }
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete((List<R>) Collections.unmodifiableList(Arrays.asList(results)));
        }
    }
}
