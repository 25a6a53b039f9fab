package io.procactor.internal.pool;

import io.procactor.internal.node.ChildHandle;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One worker process of a pool, in one slot, as the dispatcher and routing see it. A replacement
 * is a new {@code PoolWorker} in the same slot.
 *
 * <p>Concurrency: the final fields are set at construction; every other field is guarded by the
 * pool's lock (see {@link ProcessPool}).
 */
final class PoolWorker implements RoutingLogic.Routee {
    final int slot;
    /** Its process's name: where batches go. */
    final String name;
    /** Its actor's path, for error texts. */
    final String path;
    /** Null in the dispatcher's unit tests, which have no processes. */
    final ChildHandle process;

    // guarded by the pool's lock
    int inFlight;              // units sent and not answered
    /** The units sent to it and not answered, in the order sent: it runs them in that order, so only the first is timed. */
    final ArrayDeque<WorkUnit> sent = new ArrayDeque<>();
    long itemsAssigned;
    int reportedDepth;         // mailbox depth the worker reported with its last result
    int sentSinceReport;
    int overdue;               // units on it that timed out and have not come back: it is stuck on them
    boolean retiring;          // reached maxTasksPerChild: no new work, replaced when drained
    boolean stopping;          // a task on it timed out: stopped and replaced, its other work goes elsewhere
    boolean exited;
    /** Its actor is up (constructed, preStart returned, connected): work may be sent to it. */
    boolean ready;
    /** Units routed to it before it was ready; sent when it is, taken back if it exits first. */
    final ArrayDeque<WorkUnit> waiting = new ArrayDeque<>();
    /** Task timers start once this completes: the worker is ready and has handled the initializer. */
    CompletableFuture<?> startedUp = new CompletableFuture<>();
    long initializedBarrier = -1; // id of the empty batch sent after the initializer; see PoolWorkers.start

    PoolWorker(int slot, String name, String path, ChildHandle process) {
        this.slot = slot;
        this.name = name;
        this.path = path;
        this.process = process;
    }

    @Override
    public boolean takesWork() {
        return !retiring && !stopping && !exited;
    }

    @Override
    public int load() {
        return reportedDepth + sentSinceReport + waiting.size();
    }

    /** Whether a unit sent now reaches a running actor (else it waits in {@link #waiting}). */
    boolean takesWorkNow() {
        return takesWork() && ready;
    }

    boolean isAlive() {
        return process == null ? !exited : process.isAlive();
    }

    @Override
    public String toString() {
        return name;
    }
}
