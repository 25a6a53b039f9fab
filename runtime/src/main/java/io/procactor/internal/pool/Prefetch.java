package io.procactor.internal.pool;

import java.util.concurrent.TimeUnit;

/**
 * How many units a work-pulling worker may hold at once: enough that the next one is already there
 * when it finishes one, few enough that a slow task does not hold back work another worker could
 * take. Learns the service time per unit from the workers' results (a moving average).
 *
 * <p>Concurrency: guarded by the pool's lock.
 */
final class Prefetch {
    private static final long TARGET_QUEUED_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_PREFETCH = 256;

    private final int fixed;
    private double serviceNanosPerUnit = -1;     // moving average; -1 until the first result

    /** @param fixed {@code PoolOptions.prefetch}: a fixed limit, or 0 to adapt */
    Prefetch(int fixed) {
        this.fixed = fixed;
    }

    /** A worker took {@code serviceNanos} for a unit. */
    void served(long serviceNanos) {
        serviceNanosPerUnit = serviceNanosPerUnit < 0 ? serviceNanos : 0.8 * serviceNanosPerUnit + 0.2 * serviceNanos;
    }

    /** The limit of units per worker, {@code next} being the unit about to be handed out. */
    int limit(WorkUnit next) {
        if (fixed > 0) {
            return fixed;
        }
        if (serviceNanosPerUnit < 0) {
            return 1;
        }
        if (next != null && next.items.size() > 1) {
            return 2; // chunks: the next one travels while the worker computes this one
        }
        // keep about a millisecond of work queued per worker
        return (int) Math.max(1, Math.min(MAX_PREFETCH, TARGET_QUEUED_NANOS / Math.max(1.0, serviceNanosPerUnit)));
    }
}
