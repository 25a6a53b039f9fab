package io.procactor.internal.channels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a put, take, send, recv or lock waits on a ring: it spins a little (an item usually comes
 * within a microsecond when the other side is on a CPU), then, for a pipe, yields a while (its
 * peer answers at once), then parks with sleeps that double from 1 µs up to a cap: 1 ms, and once
 * it has waited a while, a fiftieth of the time waited so far, at most {@value #MAX_PARK_MILLIS} ms.
 * So an item is seen at most 1 ms late after a short wait and 2% of the wait late after a long
 * one, and a waiter that waits long costs next to no CPU (about a hundred wake-ups a second). A
 * queue's waits and lock waits park at once after the spins: on a busy machine a thread that
 * sleeps is woken ahead of threads that yield, and CPU spent yielding is CPU the side that has to
 * move lacks. The scheme of Agrona's {@code BackoffIdleStrategy}, with the cap growing.
 *
 * <p>Waits are not interruptible (see {@code ProcessQueue}): an interrupt is cleared while waiting,
 * so that parking does not return at once, and set again by {@link #done()}.
 *
 * <p>Not thread-safe: one per wait.
 */
final class Idle {
    static final long MAX_PARK_MILLIS = 10;
    private static final int SPINS = 20;
    private final int yields;
    private static final long MIN_CAP = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_CAP = TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MILLIS);
    private int step;
    private long park = 1000;
    private long parkingSince;
    private boolean interrupted;

    /** A wait for a peer that answers at once (a pipe's other end, a lock's holder): yields longer before parking. */
    static Idle forReply() {
        return new Idle(100);
    }

    /**
     * A wait for room or items in a queue: parks soon, since another producer or consumer usually
     * keeps the queue moving, and CPU spent spinning here is CPU the other side lacks on a busy machine.
     */
    static Idle forQueue() {
        return new Idle(0);
    }

    private Idle(int yields) {
        this.yields = yields;
    }

    void idle() {
        if (step < SPINS) {
            step++;
            Thread.onSpinWait();
            return;
        }
        if (step < SPINS + yields) {
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
