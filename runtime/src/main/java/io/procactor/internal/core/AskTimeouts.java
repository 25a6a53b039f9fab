package io.procactor.internal.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The timeouts of the asks in flight, for {@link AskTable}: one {@link Scheduler} task (the tick)
 * for all of them instead of a {@link java.util.concurrent.ScheduledThreadPoolExecutor} timer per
 * ask, whose insert and removal took its lock twice per ask on the asking and the replying thread
 * (and parked whichever lost the race for it).
 *
 * <p>An ask answered before the tick comes costs the timeouts nothing but one compare-and-set on
 * its entry: the tick finds the asks still pending in the table itself ({@link Source}: the ids
 * given out since its last run, or every slot when there were many), moves them into a heap by
 * deadline, unlinks those answered since, and times out those whose deadline has passed. It is
 * planned at the earliest deadline it knows of; an asking thread whose deadline comes earlier
 * moves it earlier, so timeouts are exact, not coarse. With no ask pending it is not planned at
 * all once it has run: an idle process does not wake for it.
 *
 * <p>Threads: {@link #add} and {@link #cancel} from any thread; the tick runs on the scheduler's
 * thread, one at a time (a tick that is no longer the planned one returns at once).
 */
final class AskTimeouts {
    /** More new ids than this since the last tick: it looks at every slot instead of each id. */
    private static final int SCAN_ALL_ABOVE = 4096;
    private static final long IDLE = Long.MAX_VALUE;   // no tick planned
    private static final long RUNNING = Long.MIN_VALUE; // a tick is running and looks at the queue again before it ends

    private static final int QUEUED = 0; // not yet seen by the tick
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

        final long id;
        final long deadline;
        private volatile int state = QUEUED;
        private Entry nextQueued;    // the push stack of asks the tick's look at the table may have missed
        private Entry nextCancelled; // the push stack of answered asks that were in the heap
        private int heapIndex = -1;  // the tick's only

        Entry(long id, long deadline) {
            this.id = id;
            this.deadline = deadline;
        }

        /** The deadline passed before anyone cancelled this entry. Runs on the tick; must not block. */
        abstract void expire();

        private boolean move(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }
    }

    /** Where the tick finds the asks pending: the ask table. Thread-safe. */
    interface Source {
        /** The highest id given out so far (its entry may not be findable yet). */
        long lastId();

        /** The pending ask {@code id}'s entry, or null (answered, or not yet stored). */
        Entry find(long id);

        /** Every pending ask's entry. */
        void forEach(Consumer<Entry> action);
    }

    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Source source;
    /** Ids up to this one were looked up by a tick (an ask stored later pushes itself on {@code queued}). */
    private final AtomicLong scannedUpTo = new AtomicLong();
    private final AtomicReference<Entry> queued = new AtomicReference<>();
    private final AtomicReference<Entry> cancelled = new AtomicReference<>();
    /** When the next tick is due (ticker time), or IDLE, or RUNNING. Asking threads only ever move it earlier. */
    private final AtomicLong planned = new AtomicLong(IDLE);
    // the tick's own (one at a time; each tick's start reads `planned`, which the previous one wrote last)
    private Entry[] heap = new Entry[16];
    private int size;
    private boolean lookAtAll; // a tick failed part-way: the next looks at every pending ask

    AskTimeouts(Scheduler scheduler, Ticker ticker, Source source) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.source = source;
    }

    /** The ticker time {@code timeout} from now, for an entry's deadline (at least 1 ms, as the timers were). */
    long deadline(Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) { // beyond 292 years either way
            nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
        nanos = Math.min(Math.max(nanos, TimeUnit.MILLISECONDS.toNanos(1)), Long.MAX_VALUE / 4); // 73 years at most: no overflow
        return ticker.nanoTime() + nanos;
    }

    /** Starts {@code e}'s timeout; {@code e} must already be findable in the {@link Source}. */
    void add(Entry e) {
        boolean pushed = false;
        if (scannedUpTo.get() >= e.id) { // a tick looked for this id before it was stored
            push(e);
            pushed = true;
        }
        long p;
        while ((p = planned.get()) == RUNNING || e.deadline < p) {
            if (p == RUNNING) {
                if (!pushed) {
                    // Push, then look at the plan again: a tick publishes its plan and then reads the push
                    // stack, so either it sees this push or this thread sees the plan it published. Pushing
                    // after the look alone could come just after the tick's last read, and with no tick
                    // planned this ask would never time out.
                    push(e);
                    pushed = true;
                    continue;
                }
                return; // still running after the push: the tick reads the push stack before it ends
            }
            if (planned.compareAndSet(p, e.deadline)) {
                try {
                    plan(e.deadline); // the tick planned before, if any, finds itself stale and returns
                } catch (RuntimeException refused) {
                    // The scheduler stopped (only after the asks were failed): the plan must not name a tick that
                    // never runs. The tick it names again may have returned as stale meanwhile; with the scheduler
                    // stopped nothing runs either way, and failAll ended the asks.
                    planned.compareAndSet(e.deadline, p);
                    throw refused;
                }
                return;
            }
        }
        // else a tick is planned by the deadline, and it looks up this id (or finds the push)
    }

    private void push(Entry e) {
        Entry head;
        do {
            head = queued.get();
            e.nextQueued = head;
        } while (!queued.compareAndSet(head, e));
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
        long next = RUNNING;
        try {
            dropCancelled();
            takeNew();
            while (true) {
                takeQueued();
                failure = expire(ticker.nanoTime(), failure);
                next = size > 0 ? heap[0].deadline : IDLE;
                planned.set(next);
                // an ask that saw RUNNING pushed itself and left it to us: look again
                if (queued.get() == null || !planned.compareAndSet(next, RUNNING)) {
                    break;
                }
            }
        } finally {
            if (next == RUNNING || planned.get() == RUNNING) { // thrown out of the tick: try again soon, never stay RUNNING
                lookAtAll = true; // it may have passed ids it did not look up
                next = ticker.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
                planned.set(next);
                plan(next);
            }
        }
        if (next != IDLE && planned.get() == next) {
            plan(next); // (if an asking thread planned an earlier tick meanwhile, this one finds itself stale)
        }
        if (failure != null) {
            throw failure; // after planning: a failed expiry must not stop the timeouts of the others
        }
    }

    /** Arms the asks stored since the last tick, found in the table (answered ones are simply not there). */
    private void takeNew() {
        long from = scannedUpTo.get();
        long to = source.lastId();
        scannedUpTo.set(to); // before looking: an ask stored after this sees it, and pushes itself
        if (lookAtAll || to - from > SCAN_ALL_ABOVE) {
            lookAtAll = false;
            source.forEach(this::arm);
        } else {
            for (long id = from + 1; id <= to; id++) {
                Entry e = source.find(id);
                if (e != null) {
                    arm(e);
                }
            }
        }
    }

    private void arm(Entry e) {
        if (e.state == QUEUED && e.move(QUEUED, ARMED)) {
            offer(e);
        }
    }

    private void takeQueued() {
        Entry e = queued.getAndSet(null);
        while (e != null) {
            Entry next = e.nextQueued;
            e.nextQueued = null;
            arm(e);
            e = next;
        }
    }

    private void dropCancelled() {
        Entry e = cancelled.getAndSet(null);
        while (e != null) {
            Entry next = e.nextCancelled;
            e.nextCancelled = null;
            if (e.heapIndex >= 0) {
                removeAt(e.heapIndex);
            }
            e = next;
        }
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
