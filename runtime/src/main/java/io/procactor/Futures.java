package io.procactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers for working with many futures. */
public final class Futures {
    private Futures() {
    }

    /**
     * The futures in the order they complete (Python's {@code concurrent.futures.as_completed}).
     * Iterating blocks until the next one completes. Not thread-safe: iterate from one thread.
     */
    public static <T> Iterable<CompletableFuture<T>> asCompleted(Collection<? extends CompletableFuture<T>> futures) {
        return asCompleted(futures, null);
    }

    /**
     * Like {@link #asCompleted(Collection)}, but {@code next()} throws an unchecked
     * {@link AsCompletedTimeoutException} naming how many futures are unfinished once
     * {@code timeout}, counted from this call, has elapsed.
     */
    public static <T> Iterable<CompletableFuture<T>> asCompleted(Collection<? extends CompletableFuture<T>> futures,
                                                                 Duration timeout) {
        List<CompletableFuture<T>> all = new ArrayList<>(futures);
        LinkedBlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
        for (CompletableFuture<T> f : all) {
            f.whenComplete((v, e) -> done.add(f));
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        return () -> new Iterator<>() {
            private int returned;

            @Override
            public boolean hasNext() {
                return returned < all.size();
            }

            @Override
            public CompletableFuture<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    CompletableFuture<T> f = timeout == null ? done.take()
                            : done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (f == null) {
                        throw new AsCompletedTimeoutException(all.size() - returned, all.size(), timeout);
                    }
                    returned++;
                    return f;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the next future", e);
                }
            }
        };
    }

    /** {@code as_completed}'s timeout elapsed; says how many futures were still unfinished. */
    public static final class AsCompletedTimeoutException extends ActorException {
        private final int unfinished;

        AsCompletedTimeoutException(int unfinished, int total, Duration timeout) {
            super(unfinished + " (of " + total + ") futures unfinished after [" + timeout.toMillis() + " ms]",
                    new TimeoutException());
            this.unfinished = unfinished;
        }

        public int unfinished() {
            return unfinished;
        }
    }
}
