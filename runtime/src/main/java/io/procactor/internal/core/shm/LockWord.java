package io.procactor.internal.core.shm;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock in shared memory: one 64-bit word, 0 when free, else its owner, the owning process's pid
 * (high half) and a stamp of that process's start time (low half), so that a pid the OS reused
 * for an unrelated process does not pass for the owner. Within a process the segment's
 * {@code ReentrantLock} lets one thread at a time at the word, which is why the word needs no
 * thread id and an unlock from another thread is caught.
 *
 * <p>Waiting spins briefly, yields, then parks with growing sleeps capped at 1 ms (Agrona's
 * {@link BackoffIdleStrategy}): a long wait costs no CPU. Every {@value #OWNER_CHECK_MILLIS} ms a
 * waiter checks that the owner process is alive; when it is not (SIGKILLed while holding, say), the
 * waiter takes the lock over with a compare-and-set of the dead owner's word, so exactly one waiter
 * wins, and says so at debug level.
 *
 * <p>Stateless; thread-safe.
 */
public final class LockWord {
    private static final Logger log = LoggerFactory.getLogger(LockWord.class);
    static final long OWNER_CHECK_MILLIS = 2;
    /** How far two JVMs' readings of one process's start may differ, in 10 ms stamps: 5 s. */
    private static final int STAMP_TOLERANCE = 500;
    /** This process's owner word. */
    static final long SELF = word(ProcessHandle.current().pid(), ProcessHandle.current().info().startInstant());

    private LockWord() {
    }

    static long word(long pid, Optional<Instant> start) {
        return pid << 32 | (stamp(start) & 0xffff_ffffL);
    }

    private static int stamp(Optional<Instant> start) {
        return start.map(i -> (int) (i.toEpochMilli() / 10)).orElse(0); // the kernel counts start time in 10 ms ticks
    }

    /** This process's owner word, for other lock words in shared memory (the rings' locks). */
    public static long selfWord() {
        return SELF;
    }

    /** Whether the process an owner word names still runs (not a reuse of its pid). Reads /proc: call rarely. */
    public static boolean ownerAlive(long word) {
        return alive(word);
    }

    /** The pid in an owner word. */
    public static long pid(long word) {
        return word >>> 32;
    }

    /** Whether the process an owner word names still runs (and is the same process, not a reuse of its pid). */
    static boolean alive(long word) {
        long pid = pid(word);
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        int theirs = stamp(p.get().info().startInstant());
        int recorded = (int) word;
        // each JVM turns the kernel's start ticks into an instant with the boot time it read once: a wall
        // clock stepped (NTP, VM resume) between two JVMs' starts shifts one reading. A pid reused within
        // the tolerance is far less likely than a step; taking a live holder's lock would tear the data.
        return theirs == 0 || recorded == 0 || Math.abs(theirs - recorded) <= STAMP_TOLERANCE;
    }

    /**
     * Takes the lock for the calling thread within {@code timeoutNanos} (0: try once).
     *
     * @return false on timeout or interrupt (the interrupt flag stays set)
     * @throws IllegalStateException when the calling thread holds it already (it is not reentrant)
     */
    public static boolean lock(MappedSegment s, long timeoutNanos) {
        if (s.local.isHeldByCurrentThread()) {
            throw new IllegalStateException(s.id().describe() + " is held by this thread already; it is not reentrant "
                    + "(like Python's Lock): unlock it before locking it again");
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            if (!(timeoutNanos <= 0 ? s.local.tryLock() : s.local.tryLock(timeoutNanos, TimeUnit.NANOSECONDS))) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        boolean locked = false;
        try {
            locked = acquireWord(s, deadline, timeoutNanos <= 0);
            return locked;
        } finally {
            if (!locked) {
                s.local.unlock();
            }
        }
    }

    private static boolean acquireWord(MappedSegment s, long deadline, boolean once) {
        if (s.compareAndSetLong(0, 0, SELF)) {
            return true; // free: the common case costs one compare-and-set
        }
        BackoffIdleStrategy idle = null;
        // checking the owner reads /proc: not before it has held the lock a while
        long nextOwnerCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OWNER_CHECK_MILLIS);
        while (true) {
            long owner = s.getLong(0);
            if (owner == 0) {
                if (s.compareAndSetLong(0, 0, SELF)) {
                    return true;
                }
                continue;
            }
            long now = System.nanoTime();
            if (now - nextOwnerCheck >= 0) {
                nextOwnerCheck = now + TimeUnit.MILLISECONDS.toNanos(OWNER_CHECK_MILLIS);
                if (!alive(owner) && s.compareAndSetLong(0, owner, SELF)) {
                    log.debug("Took over {} from process {}, which died holding it", s.id().describe(), pid(owner));
                    return true;
                }
            }
            if (once || now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                // giving up: a dead owner is still taken over if no wait looked at it lately (a tryLock() loop)
                if (s.ownerCheck.due(now) && !alive(owner) && s.compareAndSetLong(0, owner, SELF)) {
                    log.debug("Took over {} from process {}, which died holding it", s.id().describe(), pid(owner));
                    return true;
                }
                return false;
            }
            if (idle == null) {
                idle = new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            }
            idle.idle();
        }
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold it
     */
    public static void unlock(MappedSegment s) {
        if (!s.local.isHeldByCurrentThread()) {
            long owner = s.getLong(0);
            throw new IllegalMonitorStateException(s.id().describe() + " is not held by this thread (" + (owner == 0 ? "nobody holds it"
                    : "process " + pid(owner) + (owner == SELF ? ", this one, holds it on another thread" : " holds it"))
                    + "); only the thread that locked it may unlock it");
        }
        try {
            if (!s.compareAndSetLong(0, SELF, 0)) {
                throw new IllegalMonitorStateException(s.id().describe() + " was taken over by process " + pid(s.getLong(0))
                        + ", which found this process dead; the update made under it may have been overwritten");
            }
        } finally {
            s.local.unlock();
        }
    }

    /** Whether the calling thread holds the lock. */
    public static boolean isHeldByCurrentThread(MappedSegment s) {
        return s.local.isHeldByCurrentThread();
    }

    /** The pid of the process holding the lock, or 0 when free. */
    public static long ownerPid(MappedSegment s) {
        return pid(s.getLong(0));
    }
}
