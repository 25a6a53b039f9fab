package io.procactor.internal.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One piece of pool work as it travels: a task, a chunk of a map, or one copy of a broadcast. The
 * pool tracks it from enqueueing until its outcome is delivered, so it always knows which tasks a
 * dead worker took with it.
 *
 * <p>Concurrency: the final fields are set before the unit is shared; the others are guarded by
 * the pool's lock (see {@link ProcessPool}).
 */
final class WorkUnit {

    /** What to do with a unit's outcome: one result per item, or an error for all of them. */
    interface Outcome {
        /**
         * @param results per item: the reply, a {@code Protocol.Failure}, or an {@link ItemFailure}; null when {@code error} is set
         * @param error   why no item has a result, or null
         */
        void done(List<Object> results, Throwable error);
    }

    /** One item's failure found on the node (its input could not be sent); never a user's value. */
    record ItemFailure(Throwable error) {
    }

    final long id;
    final ArrayList<Object> items;
    final Outcome outcome;
    /** Broadcast copies go to one slot each; -1 for everything else. */
    final int fixedSlot;
    /** The outcome is internal bookkeeping (map assembly): run it on the delivering thread. */
    final boolean inline;

    // guarded by the pool's lock
    PoolWorker worker;        // the worker it was sent to, or is waiting for (see PoolWorker.waiting); null while queued
    int attempts;             // resends after its worker died
    boolean finished;         // outcome delivered (result, failure or timeout)
    boolean overdue;          // timed out while its worker still had it
    Future<?> timer;
    boolean timed;            // its timer for this attempt was started (or waits for its worker's start-up)

    WorkUnit(long id, ArrayList<Object> items, Outcome outcome, int fixedSlot, boolean inline) {
        this.id = id;
        this.items = items;
        this.outcome = outcome;
        this.fixedSlot = fixedSlot;
        this.inline = inline;
    }

    /**
     * One unit per item, whose outcomes fill this unit's outcome once all are in: a chunk one of
     * whose items cannot be encoded is split so that only that item fails. Marks this unit finished
     * (its items count, and finish, one by one). Lock held.
     */
    List<WorkUnit> split(LongSupplier ids) {
        finished = true;
        int n = items.size();
        Object[] results = new Object[n];
        AtomicInteger left = new AtomicInteger(n);
        List<WorkUnit> singles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            ArrayList<Object> item = new ArrayList<>(1);
            item.add(items.get(i));
            WorkUnit one = new WorkUnit(ids.getAsLong(), item, (res, error) -> {
                synchronized (results) {
                    results[index] = error != null ? new ItemFailure(error) : res.get(0);
                }
                if (left.decrementAndGet() == 0) {
                    List<Object> all;
                    synchronized (results) {
                        all = new ArrayList<>(Arrays.asList(results));
                    }
                    outcome.done(all, null);
                }
            }, -1, true);
            one.attempts = attempts;
            singles.add(one);
        }
        return singles;
    }

    /** What routing looks at: the first item (consistent hashing reads its key). */
    Object routingMessage() {
        return items.isEmpty() ? null : items.get(0);
    }

    /** The class name of the first item, for error texts. */
    String itemType() {
        Object first = routingMessage();
        return first == null ? "null" : first.getClass().getName();
    }
}
