package io.procactor;

import io.procactor.internal.core.shm.LockWord;
import io.procactor.internal.core.shm.SegmentRef;
import java.time.Duration;

/**
 * A lock every process of its actor system can take, for compound updates of shared values:
 * Python's {@code multiprocessing.Lock}. Made by the node with {@link ActorSystem#lock(String)};
 * pass it to actors in other processes as a constructor argument or message field.
 *
 * <pre>{@code
 * try (SharedLock.Held held = lock.lock(Duration.ofSeconds(5))) {   // Python: with lock:
 *     counter.set(counter.get() + 1);
 * }
 * }</pre>
 *
 * <p>It lives in shared memory (a word holding the owner's pid and start time), so taking a free
 * lock is one compare-and-set. A waiter spins briefly, then sleeps in steps of at most 1 ms: a long
 * wait costs no CPU. It is not fair (nor is Python's): a holder that unlocks and locks again at once
 * may get it again before a sleeping waiter wakes. A process that dies holding it (SIGKILL, a crash) does not keep it: the next
 * waiter sees the owner gone and takes it over, and whatever the dead owner half-updated is as it
 * left it. Unlike Python's, it belongs to the thread that took it: only that thread may unlock it
 * ({@link IllegalMonitorStateException} otherwise), and it is not reentrant (locking it again on the
 * same thread throws {@link IllegalStateException} instead of deadlocking). An actor takes and
 * releases it within one message: its next message may run on another thread.
 *
 * <p>Thread-safe.
 */
public final class SharedLock {
    private final SegmentRef ref;

    SharedLock(SegmentRef ref) {
        this.ref = ref;
    }

    SegmentRef ref() {
        return ref;
    }

    /** The name it was created with. */
    public String name() {
        return ref.id().name();
    }

    /**
     * Takes the lock, waiting at most {@code timeout}; close the result to unlock (try-with-resources).
     *
     * @throws LockTimeoutException when it is still held by another thread or process after {@code timeout},
     *                              or the thread was interrupted while waiting (its interrupt flag stays set)
     */
    public Held lock(Duration timeout) {
        if (!tryLock(timeout)) {
            long owner = LockWord.ownerPid(ref.segment());
            throw new LockTimeoutException("SharedLock [" + name() + "] was not free within " + timeout.toMillis() + " ms"
                    + (Thread.currentThread().isInterrupted() ? " (interrupted)" : "")
                    + (owner == 0 ? "" : "; process " + owner + " holds it")
                    + ": wait longer, or find what holds it so long");
        }
        return new Held();
    }

    /** Takes the lock if it is free now (Python's {@code acquire(block=False)}). */
    public boolean tryLock() {
        return LockWord.lock(ref.segment(), 0);
    }

    /**
     * Takes the lock, waiting at most {@code timeout} (Python's {@code acquire(timeout=...)}).
     *
     * @return false when it is still held elsewhere after {@code timeout}, or the thread was interrupted
     */
    public boolean tryLock(Duration timeout) {
        return LockWord.lock(ref.segment(), Channels.waitNanos("SharedLock [" + name() + "]", timeout)); // 365 days at most: no overflow
    }

    /**
     * Releases the lock (Python's {@code release()}).
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold it
     */
    public void unlock() {
        LockWord.unlock(ref.segment());
    }

    /** Whether the calling thread holds it. */
    public boolean isHeldByCurrentThread() {
        return LockWord.isHeldByCurrentThread(ref.segment());
    }

    /** Whether some thread of some process holds it now. */
    public boolean isLocked() {
        return LockWord.ownerPid(ref.segment()) != 0;
    }

    /** The lock, held: {@link #close()} unlocks it once. Use it on the thread that took the lock. */
    public final class Held implements AutoCloseable {
        private boolean open = true;

        private Held() {
        }

        /**
         * Unlocks; a second call does nothing.
         *
         * @throws IllegalMonitorStateException on another thread than the one that took the lock; the
         *         lock stays held, and closing on the right thread still unlocks it
         */
        @Override
        public void close() {
            if (open) {
                unlock(); // first: if it throws, a close on the right thread must still unlock
                open = false;
            }
        }
    }

    /** Two handles are equal when they name the same lock. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedLock other && other.ref.id().equals(ref.id());
    }

    @Override
    public int hashCode() {
        return ref.id().hashCode();
    }

    @Override
    public String toString() {
        return "SharedLock[" + name() + "]";
    }
}
