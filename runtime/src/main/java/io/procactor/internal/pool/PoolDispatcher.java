package io.procactor.internal.pool;

import io.procactor.ExitStatus;
import io.procactor.MessageSerializationException;
import io.procactor.PoolOptions;
import io.procactor.Routing;
import io.procactor.internal.core.Scheduler;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a pool's work units to its workers and takes their outcomes back: push routing through a
 * {@link RoutingLogic}, work pulling with an adaptive prefetch, per-unit task timers, the
 * initializer barrier, resending (or failing) the work of a worker that died, and delivering each
 * unit's outcome exactly once.
 *
 * <p>Work is only ever sent to a worker whose actor is up ({@link PoolWorker#ready}): a unit routed
 * to a worker still starting waits on the node ({@link PoolWorker#waiting}), and goes back to the
 * queue, without counting as an attempt, if that worker dies first. So a resent unit never lands on
 * a replacement whose JVM has not started yet, and an input that cannot be encoded fails in
 * {@link #send} on the node, at once, instead of in a connection's flush where nobody hears of it.
 *
 * <p>Concurrency: every field is guarded by the pool's {@code lock} (shared with {@link ProcessPool}
 * and {@link PoolWorkers}); methods documented "lock held" must be called holding it, the others
 * take it. Outcomes run outside the lock: on the delivering thread for inline units (map assembly),
 * else on the injected executor. Timers run on the injected scheduler and only take the lock.
 *
 * <p>Length: a little over 400 lines: routing, work pulling with prefetch, timers and resends share
 * the pool's lock and its unit and worker fields; split further, each piece would need the others'.
 */
final class PoolDispatcher {
    private static final Logger log = LoggerFactory.getLogger(PoolDispatcher.class);

    /** How the dispatcher reaches a worker: the pool's goes through {@code ProcessCore.sendBatch}; tests record. */
    interface WorkerPort {
        /**
         * Sends {@code batch} to {@code worker}'s actor. A worker gone already is not an error: its exit
         * notice takes its work back.
         *
         * @throws MessageSerializationException when an item cannot be encoded
         */
        void send(PoolWorker worker, Protocol.Batch batch);

        /**
         * Stops {@code worker}, stuck on a task that timed out: the pool terminates its process (its
         * grace period, then a kill), whose exit replaces it. Called without the lock. Tests record.
         */
        default void stop(PoolWorker worker) {
        }
    }

    private final Object lock;
    private final String pool;
    private final PoolOptions options;
    private final PoolWorker[] slots;
    private final List<PoolWorker> slotList;
    private final RoutingLogic routing;
    private final RoutingLogic resendRouting = new LeastLoadedRouting();
    private final Executor executor;
    private final Scheduler scheduler;
    private final WorkerPort port;
    private final Runnable progress;
    private final AtomicLong completedTasks = new AtomicLong();
    private final Prefetch prefetch;

    // guarded by lock
    private final ArrayDeque<WorkUnit> queue = new ArrayDeque<>();
    private final Map<Long, WorkUnit> inFlight = new HashMap<>();
    private long unitSeq;

    /**
     * @param slots    the pool's worker slots, filled and replaced by {@link PoolWorkers}; read under the lock
     * @param progress called (lock held) after a unit finished outside a result or an exit: the pool
     *                 checks whether a close() has drained
     */
    PoolDispatcher(Object lock, String pool, PoolOptions options, PoolWorker[] slots, Executor executor, Scheduler scheduler,
                   WorkerPort port, Runnable progress) {
        this.lock = lock;
        this.pool = pool;
        this.options = options;
        this.slots = slots;
        this.slotList = Arrays.asList(slots);
        this.routing = RoutingLogic.of(options.routing(), slots.length, options.hashKey());
        this.executor = executor;
        this.scheduler = scheduler;
        this.port = port;
        this.progress = progress;
        this.prefetch = new Prefetch(options.prefetch());
    }

    /** Lock held. A new unit or barrier id. */
    long nextId() {
        return ++unitSeq;
    }

    /** Tasks finished so far; see {@link io.procactor.Pool#completedTasks()}. */
    long completedTasks() {
        return completedTasks.get();
    }

    void countCompleted(long n) {
        completedTasks.addAndGet(n);
    }

    /** Lock held. Units waiting on the node: queued for any worker, or routed to one still starting. */
    int queued() {
        int n = queue.size();
        for (PoolWorker w : slots) {
            n += w == null ? 0 : w.waiting.size();
        }
        return n;
    }

    /** Lock held. Nothing queued, waiting or unfinished: a close() may stop the workers. */
    boolean idle() {
        return queued() == 0 && inFlight.values().stream().allMatch(u -> u.finished);
    }

    /** The pool's routing logic, one for tasks and for messages to the pool's ref (so round robin keeps one turn). */
    RoutingLogic routing() {
        return routing;
    }

    // ---- routing ----

    /** Lock held. Sends the unit at once (push routings) or queues it for the next free worker (work pulling). */
    void dispatch(WorkUnit u) {
        PoolWorker w = null;
        if (u.fixedSlot >= 0) {
            w = slots[u.fixedSlot];
        } else if (options.routing() != Routing.WORK_PULLING) {
            List<PoolWorker> chosen = routing.select(u.routingMessage(), slotList);
            w = chosen.isEmpty() ? null : chosen.get(0);
        }
        if (w == null && u.fixedSlot >= 0) {
            executor.execute(() -> finish(u, null, PoolFailures.slotGivenUp(pool, u.fixedSlot)));
        } else if (w == null || !w.takesWork()) {
            queue.addLast(u);
        } else if (w.ready) {
            send(u, w);
        } else {
            u.worker = w;
            w.waiting.addLast(u);
        }
    }

    /** Lock held. Hands queued units to ready workers that have room: least busy first. */
    void pump() {
        int limit = prefetch.limit(queue.peekFirst());
        while (!queue.isEmpty()) {
            WorkUnit head = queue.peekFirst();
            PoolWorker best = null;
            if (head.fixedSlot >= 0) {
                best = slots[head.fixedSlot];
                if (best == null || !best.takesWorkNow()) {
                    return; // waits for its slot's (replacement) worker
                }
            } else if (options.routing() != Routing.WORK_PULLING) {
                // resent (or unroutable) units of push routings: the least loaded worker that is up
                List<PoolWorker> chosen = resendRouting.select(head.routingMessage(), readyWorkers());
                if (chosen.isEmpty()) {
                    return;
                }
                best = chosen.get(0);
            } else {
                for (PoolWorker w : slots) {
                    // a worker stuck on a timed-out task gets no more work until it comes back: what it
                    // prefetched would wait behind that task (and time out too)
                    if (w != null && w.takesWorkNow() && w.overdue == 0 && w.inFlight < limit
                            && (best == null || w.inFlight < best.inFlight)) {
                        best = w;
                    }
                }
                if (best == null) {
                    return;
                }
            }
            send(queue.pollFirst(), best);
        }
    }

    private List<PoolWorker> readyWorkers() {
        List<PoolWorker> ready = new ArrayList<>(slots.length);
        for (PoolWorker w : slots) {
            if (w != null && w.takesWorkNow()) {
                ready.add(w);
            }
        }
        return ready;
    }

    /** Lock held. Sends to a ready worker; an input that cannot be encoded fails its own task here. */
    private void send(WorkUnit u, PoolWorker w) {
        u.worker = w;
        w.inFlight++;
        w.sentSinceReport++;
        w.itemsAssigned += u.items.size();
        w.sent.addLast(u);
        u.timed = false;
        inFlight.put(u.id, u);
        try {
            port.send(w, new Protocol.Batch(u.id, u.items));
        } catch (RuntimeException e) {
            inFlight.remove(u.id);
            w.inFlight--;
            w.sentSinceReport--;
            w.itemsAssigned -= u.items.size();
            w.sent.removeLastOccurrence(u);
            u.worker = null;
            if (e instanceof MessageSerializationException && u.items.size() > 1) {
                // find the item that cannot be sent: one unit per item, in input order ahead of later work
                List<WorkUnit> singles = u.split(this::nextId);
                for (int i = singles.size() - 1; i >= 0; i--) {
                    queue.addFirst(singles.get(i));
                }
                pump();
            } else {
                finish(u, null, e);
            }
            return;
        }
        // only once it is sent: a worker marked retiring by a unit that never left would take no work and
        // never be replaced, since only a result retires it
        if (options.maxTasksPerChild() > 0 && w.itemsAssigned >= options.maxTasksPerChild()) {
            w.retiring = true;
        }
        timeFirst(w);
    }

    /**
     * Lock held. Starts the timer of the first unit {@code w} has not answered, unless it runs: a
     * worker runs its units in the order sent, so a unit's time starts when the one before it is
     * answered (or when it is sent, if it is first), and a task queued in the worker behind a slow
     * one is not late for that one's time.
     */
    private void timeFirst(PoolWorker w) {
        WorkUnit first = w.sent.peekFirst();
        if (first != null && !first.timed && !first.finished && !options.taskTimeout().isZero()) {
            first.timed = true;
            startTimer(first, w);
        }
    }

    // ---- timers and the initializer barrier ----

    /**
     * Lock held. Starts the task timer of {@code u}, first in {@code w}'s line (each attempt anew):
     * time queued on the node does not count, nor does the worker's start-up (its JVM, its actor's
     * constructor and preStart, the initializer): it starts once {@link PoolWorker#startedUp}
     * completes. Each task has the timeout to itself: the unit's limit is the timeout times its
     * tasks (a chunk of 600 tasks of 10 ms each is not late at one timeout).
     */
    private void startTimer(WorkUnit u, PoolWorker w) {
        if (u.timer != null) {
            u.timer.cancel(false);
            u.timer = null;
        }
        if (w.startedUp.isDone()) {
            armTimer(u, w);
        } else {
            w.startedUp.thenRunAsync(() -> {
                synchronized (lock) {
                    if (!u.finished && u.worker == w) {
                        armTimer(u, w);
                    }
                }
            }, executor);
        }
    }

    private void armTimer(WorkUnit u, PoolWorker w) {
        long millis = options.taskTimeout().toMillis();
        int tasks = Math.max(1, u.items.size());
        long limit = millis > Long.MAX_VALUE / tasks ? Long.MAX_VALUE : millis * tasks;
        u.timer = scheduler.schedule(() -> timeOut(u, w, Duration.ofMillis(limit)), limit, TimeUnit.MILLISECONDS);
    }

    /**
     * The timer of {@code u}'s attempt on {@code w} ran out. One that fired as the unit was taken back
     * (its cancel came too late) is for an attempt that is over: the unit, queued again or sent
     * elsewhere, is not failed by it, nor left queued to run after its submitter was told it failed.
     */
    private void timeOut(WorkUnit u, PoolWorker w, Duration limit) {
        boolean stop;
        synchronized (lock) {
            if (u.finished || u.worker != w || inFlight.get(u.id) != u) {
                return;
            }
            u.overdue = true;
            w.overdue++;
            // as Pebble's pool: a process can be stopped where a thread cannot, and a task stuck forever
            // must not keep its worker (and, with one worker, the whole pool and its close()) forever
            stop = !w.stopping;
            w.stopping = true;
        }
        finish(u, null, PoolFailures.timedOut(w.path, u, limit, w.isAlive()));
        if (stop) {
            log.info("Worker [{}] of pool [{}] is stopped and replaced: a task on it timed out after {} ms", w.name, pool,
                    limit.toMillis());
            try {
                port.stop(w);
            } catch (RuntimeException e) { // its exit, whenever it comes, still replaces it and resends its work
                log.warn("Worker [{}] of pool [{}] could not be told to stop: {}", w.name, pool, e.toString());
            }
        }
        synchronized (lock) {
            progress.run();
        }
    }

    /** Lock held. The id of the empty batch that comes back once {@code w} has handled the initializer. */
    long barrier(PoolWorker w) {
        w.initializedBarrier = nextId();
        return w.initializedBarrier;
    }

    // ---- workers coming and going ----

    /** {@code w}'s actor is up: what was routed to it goes now, and it takes queued work. */
    void ready(PoolWorker w) {
        synchronized (lock) {
            if (w.exited || w.ready) {
                return;
            }
            w.ready = true;
            WorkUnit u;
            while ((u = w.waiting.pollFirst()) != null) {
                send(u, w);
            }
            pump();
            progress.run();
        }
    }

    /**
     * Lock held. Takes back the work of {@code w}, which exited: units it never got go back to the
     * front of the queue as they were; units it had are queued again (at the back) while their
     * attempts last and {@code resend} holds,
     * else fail with what was lost and why (on the executor).
     *
     * @return how many units were on it
     */
    int takeBack(PoolWorker w, ExitStatus status, boolean resend) {
        List<WorkUnit> lost = new ArrayList<>();
        for (Iterator<WorkUnit> it = inFlight.values().iterator(); it.hasNext(); ) {
            WorkUnit u = it.next();
            if (u.worker == w) {
                it.remove();
                lost.add(u);
            }
        }
        for (Iterator<WorkUnit> it = w.waiting.descendingIterator(); it.hasNext(); ) {
            WorkUnit u = it.next();
            u.worker = null;
            queue.addFirst(u); // never sent: not an attempt
        }
        w.waiting.clear();
        w.sent.clear();
        List<WorkUnit> blameless = new ArrayList<>();
        for (WorkUnit u : lost) {
            u.worker = null;
            if (u.timer != null) {
                u.timer.cancel(false); // the next send starts a new one
            }
            if (!u.finished && w.stopping && resend) {
                blameless.add(u); // the pool stopped it for another unit's timeout: not this unit's attempt
            } else if (!u.finished && u.attempts < options.retries() && resend) {
                // behind the queued work: if the next worker dies too before it answers, it takes other
                // units with it, and the losses spread instead of using up the retries of these ones
                u.attempts++;
                queue.addLast(u);
            } else {
                executor.execute(() -> finish(u, null, PoolFailures.workerLost(pool, w, u, status, options.retries())));
            }
        }
        blameless.sort(Comparator.comparingLong(u -> u.id)); // in the order they were sent, ahead of the queue
        for (int i = blameless.size() - 1; i >= 0; i--) {
            queue.addFirst(blameless.get(i));
        }
        return lost.size();
    }

    /** Lock held. Fails the broadcast copies pinned to {@code slot}, whose worker cannot start: they would wait forever. */
    void failPinned(int slot, RuntimeException error) {
        for (Iterator<WorkUnit> it = queue.iterator(); it.hasNext(); ) {
            WorkUnit u = it.next();
            if (u.fixedSlot == slot) {
                it.remove();
                executor.execute(() -> finish(u, null, error));
            }
        }
    }

    /** Lock held. Fails every queued and waiting unit with {@code error} (on the executor). */
    void failQueued(RuntimeException error) {
        for (WorkUnit u : takeAllWaiting()) {
            executor.execute(() -> finish(u, null, error));
        }
    }

    /** Lock held. Removes and returns every unit not finished yet: queued, waiting, or on a worker. */
    List<WorkUnit> takeAll() {
        List<WorkUnit> all = takeAllWaiting();
        all.addAll(inFlight.values());
        inFlight.clear();
        for (PoolWorker w : slots) {
            if (w != null) {
                w.sent.clear();
            }
        }
        return all;
    }

    private List<WorkUnit> takeAllWaiting() {
        List<WorkUnit> all = new ArrayList<>(queue);
        queue.clear();
        for (PoolWorker w : slots) {
            if (w != null) {
                all.addAll(w.waiting);
                w.waiting.clear();
            }
        }
        return all;
    }

    // ---- results ----

    /**
     * Lock held. A worker's result: updates its load and the service-time average and returns the
     * unit it finishes (for {@link #finish}, outside the lock), or null for an initializer barrier
     * or a unit already taken back.
     */
    WorkUnit onResult(Protocol.BatchResult r) {
        WorkUnit u = inFlight.remove(r.id());
        if (u == null) {
            initialized(r.id());
            return null;
        }
        PoolWorker w = u.worker;
        w.inFlight--;
        w.sent.remove(u);
        timeFirst(w);
        if (u.overdue) {
            w.overdue--;
        }
        w.reportedDepth = r.queueDepth();
        w.sentSinceReport = 0;
        prefetch.served(r.serviceNanos());
        return u;
    }

    /** The result of a worker's initializer barrier: its task timers may start. */
    private void initialized(long barrierId) {
        for (PoolWorker w : slots) {
            if (w != null && w.initializedBarrier == barrierId) {
                w.startedUp.complete(null);
                return;
            }
        }
    }

    /** Delivers a unit's outcome once; later results for it are dropped. Not under the lock. */
    void finish(WorkUnit u, List<Object> results, Throwable error) {
        synchronized (lock) {
            if (u.finished) {
                return;
            }
            u.finished = true;
            if (u.timer != null) {
                u.timer.cancel(false);
            }
        }
        if (u.fixedSlot < 0) { // broadcast copies are counted per task, by the pool
            completedTasks.addAndGet(u.items.size()); // before the outcome, so a completed map is fully counted
        }
        if (u.inline) {
            u.outcome.done(results, error);
        } else {
            executor.execute(() -> u.outcome.done(results, error));
        }
    }
}
