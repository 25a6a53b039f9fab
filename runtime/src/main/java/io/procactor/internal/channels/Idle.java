package io.procactor.internal.channels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a put, take, send or recv waits on a ring: it spins a little (an item usually comes within
 * microseconds when the other side is busy), then yields, then parks with sleeps that double from
 * 1 µs up to a cap: 1 ms, and once it has waited a while, a fiftieth of the time waited so far, at
 * most {@value #MAX_PARK_MILLIS} ms. So an item is seen at most 1 ms late after a short wait and
 * at most 2% of the wait late after a long one, and a waiter that waits long costs next to no CPU
 * (about a hundred wake-ups a second). The scheme of Agrona's {@code BackoffIdleStrategy}, with
 * the cap growing.
 *
 * <p>Waits are not interruptible (see {@code ProcessQueue}): an interrupt is cleared while waiting,
 * so that parking does not return at once, and set again by {@link #done()}.
 *
 * <p>Not thread-safe: one per wait.
 */
final class Idle {
    static final long MAX_PARK_MILLIS = 10;
    private static final int SPINS = 20;
    private static final int YIELDS = 100;
    private static final long MIN_CAP = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_CAP = TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MILLIS);
    private int step;
    private long park = 1000;
    private long parkingSince;
    private boolean interrupted;

    void idle() {
        if (step < SPINS) {
            step++;
            Thread.onSpinWait();
            return;
        }
        if (step < SPINS + YIELDS) {
            step++;
            Thread.yield();
            return;
        }
        long now = System.nanoTime();
        if (parkingSince == 0) {
            parkingSince = now;
        }
        if (Thread.interrupted()) {
            interrupted = true;
        }
        LockSupport.parkNanos(park);
        park = Math.min(park * 2, Math.max(MIN_CAP, Math.min(MAX_CAP, (now - parkingSince) / 50)));
    }

    /** Sets the caller's interrupt again if one arrived while it waited. */
    void done() {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
