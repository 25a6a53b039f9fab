package io.procactor.internal.channels;

import io.procactor.internal.core.shm.LockWord;
import io.procactor.internal.core.shm.OwnerCheck;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock word in a ring's shared memory that serialises the producers (or the consumers) of all
 * processes: 0 when free, else the owning process's {@link LockWord#selfWord() word} (pid and start
 * stamp). This process's threads first take an in-process lock, so at most one thread per process
 * competes for the word. A waiter that finds the word held for more than
 * {@value #OWNER_CHECK_MILLIS} ms checks that the owner process runs; when it does not (it was
 * SIGKILLed inside a put or take), the waiter takes the word over with a compare-and-set of the
 * dead owner's word, so exactly one waiter wins. A holder writes nothing others can see before
 * its last step (publishing the tail or head), so what a dead holder left half done is invisible.
 *
 * <p>Thread-safe.
 */
final class ShmLock {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final long OWNER_CHECK_MILLIS = 2;
    private static final long SELF = LockWord.selfWord();

    private final ByteBuffer buf;
    private final int at;
    private final ReentrantLock local = new ReentrantLock();
    private final OwnerCheck ownerCheck = new OwnerCheck();

    ShmLock(ByteBuffer buf, int at) {
        this.buf = buf;
        this.at = at;
    }

    /**
     * Takes the lock by {@code deadline} ({@link System#nanoTime()}); false when it stayed held by
     * live processes until then. Not interruptible: an interrupt is kept and set again.
     */
    boolean lock(long deadline) {
        if (!lockLocal(deadline)) {
            return false;
        }
        if (LONGS.compareAndSet(buf, at, 0L, SELF)) {
            return true; // free: the common case costs one compare-and-set
        }
        Idle idle = Idle.forLock(); // a holder that keeps the lock longer than a spin is off its CPU: sleep, do not compete
        try {
            long nextOwnerCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OWNER_CHECK_MILLIS);
            while (true) {
                long owner = (long) LONGS.getVolatile(buf, at);
                if (owner == 0) {
                    if (LONGS.compareAndSet(buf, at, 0L, SELF)) {
                        return true;
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (now - nextOwnerCheck >= 0) { // reads /proc: only once it has been held a while
                    nextOwnerCheck = now + TimeUnit.MILLISECONDS.toNanos(OWNER_CHECK_MILLIS);
                    if (!LockWord.ownerAlive(owner) && LONGS.compareAndSet(buf, at, owner, SELF)) {
                        return true;
                    }
                }
                if (now - deadline >= 0) {
                    // giving up: a dead owner is still taken over if no wait looked at it lately (a poll loop)
                    if (ownerCheck.due(now) && !LockWord.ownerAlive(owner) && LONGS.compareAndSet(buf, at, owner, SELF)) {
                        return true;
                    }
                    local.unlock();
                    return false;
                }
                idle.idle();
            }
        } finally {
            idle.done();
        }
    }

    private boolean lockLocal(long deadline) {
        if (local.tryLock()) {
            return true;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return local.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void unlock() {
        LONGS.setRelease(buf, at, 0L);
        local.unlock();
    }

    /** For tests: takes the word for this process and keeps it (as a process killed inside a take would). */
    void holdForever() {
        LONGS.setVolatile(buf, at, SELF);
    }

    /** The pid of the process that holds the word, or 0. */
    long ownerPid() {
        return LockWord.pid((long) LONGS.getVolatile(buf, at));
    }
}
