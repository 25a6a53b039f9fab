package io.procactor.internal.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles one broadcast task from its copies, one per slot: the list of the workers' results in
 * slot order, or the first copy's failure. The task counts once, just before its future completes.
 * Thread-safe.
 */
final class BroadcastResults<R> {
    private final Object[] replies;
    private final AtomicInteger left;
    private final AtomicBoolean counted = new AtomicBoolean();
    private final CompletableFuture<R> future;
    private final Runnable count;

    BroadcastResults(int copies, CompletableFuture<R> future, Runnable count) {
        this.replies = new Object[copies];
        this.left = new AtomicInteger(copies);
        this.future = future;
        this.count = count;
    }

    @SuppressWarnings("unchecked")
    void copyDone(int slot, List<Object> results, Throwable error) {
        Throwable t = error != null ? error : PoolFailures.failureOf(results.get(0));
        if (t != null) {
            countOnce();
            future.completeExceptionally(t);
            return;
        }
        synchronized (replies) {
            replies[slot] = results.get(0);
        }
        if (left.decrementAndGet() == 0) {
            countOnce();
            List<Object> all;
            synchronized (replies) {
                all = new ArrayList<>(Arrays.asList(replies));
            }
            future.complete((R) all);
        }
    }

    private void countOnce() {
        if (counted.compareAndSet(false, true)) {
            count.run();
        }
    }
}
