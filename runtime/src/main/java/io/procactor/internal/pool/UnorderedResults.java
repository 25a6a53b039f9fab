package io.procactor.internal.pool;

import io.procactor.AskTimeoutException;
import io.procactor.internal.core.Ticker;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The results of a {@code mapUnordered} as they complete. Chunks add their items from any thread;
 * the one iterator blocks in {@code next()} until a result is there or the run's deadline passed,
 * so iterating never hangs. Thread-safe for {@link #chunkDone}; the iterator is for one thread.
 */
final class UnorderedResults<R> implements Iterable<R> {
    private final String pool;
    private final int inputs;
    private final Duration timeout;
    private final Ticker ticker;
    private final long deadline;
    private final LinkedBlockingQueue<Object[]> done = new LinkedBlockingQueue<>(); // {value} or {null, throwable}

    UnorderedResults(String pool, int inputs, Duration timeout, Ticker ticker) {
        this.pool = pool;
        this.inputs = inputs;
        this.timeout = timeout;
        this.ticker = ticker;
        this.deadline = ticker.nanoTime() + timeout.toNanos();
    }

    void chunkDone(int size, List<Object> results, Throwable error) {
        for (int i = 0; i < size; i++) {
            Object r = error != null ? null : results.get(i);
            Throwable t = error != null ? error : PoolFailures.failureOf(r);
            done.add(t != null ? new Object[] {null, t} : new Object[] {r});
        }
    }

    @Override
    public Iterator<R> iterator() {
        return new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < inputs;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object[] r;
                try {
                    r = done.poll(Math.max(0, deadline - ticker.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a result of pool [" + pool + "]", e);
                }
                if (r == null) {
                    throw new AskTimeoutException("pool [" + pool + "]", "mapUnordered of " + inputs + " items, "
                            + (inputs - taken) + " results missing", timeout, true);
                }
                taken++;
                if (r.length == 2) {
                    Throwable t = (Throwable) r[1];
                    throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
                }
                return (R) r[0];
            }
        };
    }
}
