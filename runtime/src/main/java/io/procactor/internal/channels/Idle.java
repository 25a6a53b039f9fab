package io.procactor.internal.channels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a put, take, send, recv or lock waits on a ring. It spins a little (an item usually comes
 * within a microsecond when the other side is on a CPU), then, for a pipe, yields a while (its
 * peer answers at once), then parks with sleeps that double from 1 µs. Once it has waited
 * {@value #BELL_AFTER_MICROS} µs it goes to sleep on the ring's {@link Sleepers}: the process that
 * publishes what it waits for rings its {@link Doorbell}, so an item that comes after a long wait
 * is seen tens of microseconds later, not at the next timed wake-up, and a waiter costs no CPU
 * while it waits (it also wakes on its own every {@value #BELL_BACKSTOP_MILLIS} ms, in case a bell
 * was lost). Without sleepers (a lock wait, or all slots taken) the sleeps grow to 1 ms, and once
 * it has waited a while to a fiftieth of the time waited so far, at most {@value #MAX_PARK_MILLIS}
 * ms. A queue's waits and lock waits park right after the spins: on a busy machine a thread that
 * sleeps is woken ahead of threads that yield, and CPU spent yielding is CPU the side that has to
 * move lacks. The scheme of Agrona's {@code BackoffIdleStrategy}, ending in a futex-like sleep.
 *
 * <p>The caller looks at the ring after every {@link #idle()} and before the next: that is what
 * makes the sleepers' protocol safe (the first call in the bell phase only marks the slot).
 *
 * <p>Waits are not interruptible (see {@code ProcessQueue}): an interrupt is cleared while waiting,
 * so that parking does not return at once, and set again by {@link #done()}.
 *
 * <p>Not thread-safe: one per wait.
 */
final class Idle {
    static final long MAX_PARK_MILLIS = 10;
    static final long BELL_AFTER_MICROS = 200;
    static final long BELL_BACKSTOP_MILLIS = 100;
    private static final int SPINS = 20;
    private static final long MIN_CAP = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_CAP = TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MILLIS);
    private static final long BELL_AFTER = TimeUnit.MICROSECONDS.toNanos(BELL_AFTER_MICROS);
    private static final long BACKSTOP = TimeUnit.MILLISECONDS.toNanos(BELL_BACKSTOP_MILLIS);
    private final int yields;
    private final Sleepers sleepers;
    private final long deadline;
    private int step;
    private long park = 1000;
    private long parkingSince;
    private int slot = -1;
    private boolean noSlot;
    private boolean interrupted;

    /**
     * A wait for a peer that answers at once (a pipe's other end): yields longer before parking;
     * rung by {@code sleepers}; {@code deadline} as {@link System#nanoTime()}.
     */
    static Idle forReply(Sleepers sleepers, long deadline) {
        return new Idle(100, sleepers, deadline);
    }

    /**
     * A wait for room or items in a queue: parks soon, since another producer or consumer usually
     * keeps the queue moving, and CPU spent spinning here is CPU the other side lacks on a busy
     * machine; rung by {@code sleepers}.
     */
    static Idle forQueue(Sleepers sleepers, long deadline) {
        return new Idle(0, sleepers, deadline);
    }

    /** A wait for a lock's holder, who keeps it for microseconds: timed sleeps only. */
    static Idle forLock() {
        return new Idle(0, null, 0);
    }

    /** {@code deadline}: System.nanoTime() when the caller gives up (a sleep ends then at the latest). */
    private Idle(int yields, Sleepers sleepers, long deadline) {
        this.yields = yields;
        this.sleepers = sleepers;
        this.deadline = deadline;
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
        if (sleepers != null && !noSlot && now - parkingSince >= BELL_AFTER) {
            sleepOnBell(now);
            return;
        }
        LockSupport.parkNanos(park);
        park = Math.min(park * 2, Math.max(MIN_CAP, Math.min(MAX_CAP, (now - parkingSince) / 50)));
    }

    /** The first call marks a slot and returns (the caller looks again); later ones sleep until rung, then mark it again. */
    private void sleepOnBell(long now) {
        if (slot < 0) {
            slot = sleepers.enter();
            if (slot < 0) {
                noSlot = true; // timed sleeps from now on
                return;
            }
            Doorbell.sleeping(Thread.currentThread());
            return;
        }
        Doorbell.sleep(Math.max(0, Math.min(BACKSTOP, deadline - now)));
        slot = sleepers.rearm(slot);
        if (slot < 0) {
            noSlot = true;
            Doorbell.awake(Thread.currentThread());
        }
    }

    /** Leaves the sleepers and sets the caller's interrupt again if one arrived while it waited. */
    void done() {
        if (slot >= 0) {
            sleepers.leave(slot);
            Doorbell.awake(Thread.currentThread());
            slot = -1;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
