package io.procactor.internal.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The timeouts of the asks in flight, for {@link AskTable}: one {@link Scheduler} task (the tick)
 * for all of them instead of a {@link java.util.concurrent.ScheduledThreadPoolExecutor} timer per
 * ask, whose insert and removal took its lock twice per ask on the asking and the replying thread
 * (and parked whichever lost the race for it).
 *
 * <p>An ask costs its threads one lock-free push when it starts and one compare-and-set when it
 * ends. The tick, on the scheduler's thread, moves the asks pushed since its last run into a heap
 * ordered by deadline, dropping those already answered (nearly all of them: a reply usually comes
 * long before the next tick), unlinks those answered since, and times out those whose deadline has
 * passed. Timeouts stay exact: the tick is always planned no later than the earliest deadline of
 * any ask not yet answered (the asking thread moves it earlier when its own deadline comes first).
 * While asks come and go the tick runs every {@link #DRAIN_INTERVAL_NANOS} (20 ms), so answered
 * asks are not held in memory longer than that; after a tick that found nothing new it is planned
 * only at the earliest deadline, and with no ask pending it is not planned at all (an idle process
 * does not wake for it).
 *
 * <p>Threads: {@link #add} and {@link #cancel} from any thread; the tick runs on the scheduler's
 * thread, one at a time (a tick that is no longer the planned one returns at once).
 */
final class AskTimeouts {
    /** How often the tick runs while asks are started or answered: bounds how long answered asks stay queued. */
    static final long DRAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long IDLE = Long.MAX_VALUE;   // no tick planned
    private static final long RUNNING = Long.MIN_VALUE; // a tick is running and looks at the queue again before it ends

    private static final int QUEUED = 0; // pushed, not yet seen by the tick
    private static final int ARMED = 1;  // in the tick's heap
    private static final int DONE = 2;   // answered, failed or timed out

    /** One ask's timeout. Subclassed by the ask's entry; {@link #expire} runs on the tick when the deadline passed. */
    abstract static class Entry {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long deadline;
        private volatile int state = QUEUED;
        private Entry nextQueued;    // the push stack of new asks
        private Entry nextCancelled; // the push stack of answered asks that were in the heap
        private int heapIndex = -1;  // the tick's only

        Entry(long deadline) {
            this.deadline = deadline;
        }

        /** The deadline passed before anyone cancelled this entry. Runs on the tick; must not block. */
        abstract void expire();

        private boolean move(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }
    }

    private final Scheduler scheduler;
    private final Ticker ticker;
    private final AtomicReference<Entry> queued = new AtomicReference<>();
    private final AtomicReference<Entry> cancelled = new AtomicReference<>();
    /** When the next tick is due (ticker time), or IDLE, or RUNNING. Asking threads only ever move it earlier. */
    private final AtomicLong planned = new AtomicLong(IDLE);
    // the tick's own (one at a time; each tick's start reads `planned`, which the previous one wrote last)
    private Entry[] heap = new Entry[16];
    private int size;

    AskTimeouts(Scheduler scheduler, Ticker ticker) {
        this.scheduler = scheduler;
        this.ticker = ticker;
    }

    /** The ticker time {@code timeout} from now, for an entry's deadline (at least 1 ms, as the timers were). */
    long deadline(Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        nanos = Math.min(Math.max(nanos, TimeUnit.MILLISECONDS.toNanos(1)), Long.MAX_VALUE / 4); // 73 years at most: no overflow
        return ticker.nanoTime() + nanos;
    }

    /** Starts {@code e}'s timeout. */
    void add(Entry e) {
        Entry head;
        do {
            head = queued.get();
            e.nextQueued = head;
        } while (!queued.compareAndSet(head, e));
        // the tick must come by the deadline, and soon enough to drop the entry once it is answered
        long due = Math.min(e.deadline, ticker.nanoTime() + DRAIN_INTERVAL_NANOS);
        long p;
        while (due < (p = planned.get()) && p != RUNNING) {
            if (planned.compareAndSet(p, due)) {
                plan(due); // the tick planned before, if any, finds itself stale and returns
                return;
            }
        }
        // else a tick is due by then, or one is running and will see the push (it re-reads the queue after publishing its plan)
    }

    /** Ends {@code e}'s timeout: it will not expire. False when it already expired (or was cancelled). */
    boolean cancel(Entry e) {
        if (e.move(QUEUED, DONE)) {
            return true; // the tick drops it when it comes to it
        }
        if (e.move(ARMED, DONE)) {
            Entry head;
            do {
                head = cancelled.get();
                e.nextCancelled = head;
            } while (!cancelled.compareAndSet(head, e));
            return true;
        }
        return false;
    }

    /** Entries in the tick's heap (asks pending when it last ran, less those it has since seen answered); for tests. */
    int armed() {
        return size;
    }

    private void plan(long due) {
        long delay = Math.max(0, due - ticker.nanoTime());
        Future<?> ignored = scheduler.schedule(() -> tick(due), delay, TimeUnit.NANOSECONDS);
    }

    private void tick(long due) {
        if (!planned.compareAndSet(due, RUNNING)) {
            return; // stale: an earlier tick was planned after this one, and plans on its own
        }
        RuntimeException failure = null;
        long next;
        while (true) {
            long now = ticker.nanoTime();
            boolean activity = dropCancelled() | takeQueued();
            failure = expire(now, failure);
            next = size > 0 ? heap[0].deadline : IDLE;
            if (activity) {
                next = Math.min(next, now + DRAIN_INTERVAL_NANOS);
            }
            planned.set(next);
            // an ask pushed after takeQueued() saw RUNNING and left it to us: look again
            if (queued.get() == null || !planned.compareAndSet(next, RUNNING)) {
                break;
            }
        }
        if (next != IDLE && planned.get() == next) {
            plan(next); // (if an asking thread planned an earlier tick meanwhile, this one finds itself stale)
        }
        if (failure != null) {
            throw failure; // after planning: a failed expiry must not stop the timeouts of the others
        }
    }

    private boolean takeQueued() {
        Entry e = queued.getAndSet(null);
        boolean any = e != null;
        while (e != null) {
            Entry next = e.nextQueued;
            // most were answered before the tick came: a plain read passes them (cheap even before the JIT compiles the tick)
            if (e.state == QUEUED && e.move(QUEUED, ARMED)) {
                e.nextQueued = null; // an armed entry must not keep the older ones alive
                offer(e);
            }
            e = next;
        }
        return any;
    }

    private boolean dropCancelled() {
        Entry e = cancelled.getAndSet(null);
        boolean any = e != null;
        while (e != null) {
            Entry next = e.nextCancelled;
            e.nextCancelled = null;
            if (e.heapIndex >= 0) {
                removeAt(e.heapIndex);
            }
            e = next;
        }
        return any;
    }

    private RuntimeException expire(long now, RuntimeException failure) {
        while (size > 0 && heap[0].deadline - now <= 0) {
            Entry e = heap[0];
            removeAt(0);
            if (e.move(ARMED, DONE)) {
                try {
                    e.expire();
                } catch (RuntimeException ex) {
                    if (failure == null) {
                        failure = ex;
                    }
                }
            } // else answered just now: it is on the cancelled stack, already out of the heap
        }
        return failure;
    }

    // ---- a binary heap by deadline, each entry knowing its index (removal in O(log n)) ----

    private void offer(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, e);
    }

    private void removeAt(int i) {
        Entry removed = heap[i];
        removed.heapIndex = -1;
        int last = --size;
        Entry moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        if (size == 0 && heap.length > 1024) {
            heap = new Entry[16]; // a burst of asks is over: give its array back
        }
    }

    private void siftUp(int i, Entry e) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (e.deadline - p.deadline >= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i, Entry e) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].deadline - c.deadline < 0) {
                c = heap[child = right];
            }
            if (e.deadline - c.deadline <= 0) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
