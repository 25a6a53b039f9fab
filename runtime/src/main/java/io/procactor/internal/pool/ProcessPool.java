package io.procactor.internal.pool;

import io.procactor.internal.core.DeadLetterReason;
import io.procactor.internal.core.AskTable;
import io.procactor.internal.node.ChildHandle;
import io.procactor.internal.core.Names;
import io.procactor.internal.node.NodeRuntime;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.wire.Protocol;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeFuture;
import io.procactor.ActorCreationException;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.RemoteActorException;
import io.procactor.Routing;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of a {@link Pool}. Work travels in units (one task, or a chunk of a map) that
 * the pool tracks until their result comes back, so it always knows which tasks a dead worker
 * took with it. All state is guarded by {@code lock}; futures complete on the runtime executor,
 * outside the lock.
 */
public final class ProcessPool implements Pool {
    private static final Logger log = LoggerFactory.getLogger(ProcessPool.class);
    private static final AtomicInteger POOL_SEQ = new AtomicInteger();
    private static final long TARGET_QUEUED_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_PREFETCH = 256;

    private enum State { OPEN, CLOSING, STOPPED, TERMINATED }

    /** What to do with a unit's outcome: per-item results (values or {@link Protocol.Failure}), or an error for all. */
    private interface Outcome {
        void done(List<Object> results, Throwable error);
    }

    private static final class Unit {
        final long id;
        final ArrayList<Object> items;
        final Outcome outcome;
        final Object hashKey;
        final int fixedSlot;       // broadcast copies go to one slot each; -1 otherwise
        Worker worker;
        boolean inline;            // outcome is internal bookkeeping: run it on the delivering thread
        int attempts;
        boolean finished;          // outcome delivered (result, failure or timeout)
        boolean overdue;           // timed out while its worker still had it
        Future<?> timer;

        Unit(long id, ArrayList<Object> items, Outcome outcome, Object hashKey, int fixedSlot) {
            this.id = id;
            this.items = items;
            this.outcome = outcome;
            this.hashKey = hashKey;
            this.fixedSlot = fixedSlot;
        }
    }

    private static final class Worker {
        final int slot;
        final ChildHandle process;
        final RefImpl ref;
        int inFlight;              // units sent and not answered
        long itemsAssigned;
        int reportedDepth;         // mailbox depth the worker reported with its last result
        int sentSinceReport;
        int overdue;               // units on it that timed out and have not come back: it is stuck on them
        boolean retiring;          // reached maxTasksPerChild: no new work, replaced when drained
        boolean exited;
        /** Task timers start once this completes: the worker is ready and has handled the initializer. */
        CompletableFuture<?> startedUp;
        long initializedBarrier = -1; // id of the empty batch sent after the initializer; see startWorker

        Worker(int slot, ChildHandle process) {
            this.slot = slot;
            this.process = process;
            this.ref = (RefImpl) process.ref();
        }

        boolean takesWork() {
            return !retiring && !exited;
        }
    }

    private final NodeRuntime node;
    private final ProcessCore core;
    private final Props props;
    private final PoolOptions options;
    private final String name;
    private final RefImpl self;
    private final HashRing ring;
    private final Object lock = new Object();
    private final ArrayDeque<Unit> queue = new ArrayDeque<>();
    private final Map<Long, Unit> inFlight = new HashMap<>();
    private final Worker[] slots;
    private final List<Worker> all = new ArrayList<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();  // after close(): no work left
    private final AtomicLong completedTasks = new AtomicLong(); // items finished; see finish() and broadcast()
    private State state = State.OPEN;
    private long unitSeq;
    private int workerSeq;
    private int roundRobin;
    private double serviceNanosPerUnit = -1;     // moving average; -1 until the first result
    private RuntimeException broken;              // set when no worker can start
    private boolean anyResult;                    // a worker has returned a result at least once
    private boolean startupFailedSinceResult;     // a worker failed to start and no result came back since

    public ProcessPool(NodeRuntime node, Props props, PoolOptions options) {
        this.node = node;
        this.core = node.core();
        this.props = props;
        this.options = options;
        this.name = options.name() != null ? options.name() : "pool-" + POOL_SEQ.incrementAndGet();
        Names.check(name, "pool");
        this.self = core.registerReceiver(receiverName(name), this::routeMessage);
        this.ring = new HashRing(options.size());
        this.slots = new Worker[options.size()];
        synchronized (lock) {
            for (int i = 0; i < slots.length; i++) {
                startWorker(i);
            }
        }
    }

    /** The ref of the pool named {@code poolName} ({@link io.procactor.Pool#ref()}), also before the pool exists. */
    public static ActorRef ref(NodeRuntime node, String poolName) {
        return node.ref(Protocol.NODE, receiverName(poolName));
    }

    /** The name under which a pool's dispatcher receives messages in the node's process. */
    public static String receiverName(String poolName) {
        return "$pool-" + poolName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ActorProcess> workers() {
        synchronized (lock) {
            List<ActorProcess> live = new ArrayList<>();
            for (Worker w : slots) {
                if (w != null && !w.exited) {
                    live.add(w.process);
                }
            }
            return live;
        }
    }

    @Override
    public ActorRef ref() {
        return self;
    }

    @Override
    public int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    @Override
    public long completedTasks() {
        return completedTasks.get();
    }

    // ---- submitting ----

    @Override
    public <R> CompletableFuture<R> submit(Object task) {
        RuntimeFuture<R> future = new RuntimeFuture<>(core.executor());
        if (options.routing() == Routing.BROADCAST) {
            broadcast(task, future);
            return future;
        }
        enqueue(List.of(singleton(task, (results, error) -> complete(future, results, error, 0))));
        return future;
    }

    @SuppressWarnings("unchecked")
    private <R> void broadcast(Object task, RuntimeFuture<R> future) {
        List<Unit> units = new ArrayList<>();
        Object[] replies = new Object[slots.length];
        AtomicInteger left = new AtomicInteger(slots.length);
        // one task, though every worker gets a copy: it counts once, just before its future completes
        AtomicBoolean counted = new AtomicBoolean();
        Runnable count = () -> {
            if (counted.compareAndSet(false, true)) {
                completedTasks.incrementAndGet();
            }
        };
        synchronized (lock) {
            for (int s = 0; s < slots.length; s++) {
                int slot = s;
                ArrayList<Object> items = new ArrayList<>(1);
                items.add(task);
                units.add(new Unit(++unitSeq, items, (results, error) -> {
                    if (error != null) {
                        count.run();
                        future.completeExceptionally(error);
                        return;
                    }
                    replies[slot] = results.get(0);
                    if (results.get(0) instanceof Protocol.Failure f) {
                        count.run();
                        future.completeExceptionally(remote(f));
                    } else if (left.decrementAndGet() == 0) {
                        count.run();
                        future.complete((R) new ArrayList<>(java.util.Arrays.asList(replies)));
                    }
                }, null, slot));
            }
        }
        enqueue(units);
    }

    private Unit singleton(Object task, Outcome outcome) {
        ArrayList<Object> items = new ArrayList<>(1);
        items.add(task);
        synchronized (lock) {
            return new Unit(++unitSeq, items, outcome, options.hashKey().apply(task), -1);
        }
    }

    @Override
    public <R> List<R> map(List<?> inputs, Duration timeout) throws InterruptedException, TimeoutException {
        AtomicInteger missing = new AtomicInteger(inputs.size());
        CompletableFuture<List<R>> f = mapAsync(inputs, missing);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("map of " + inputs.size() + " items on pool [" + name + "] did not finish within ["
                    + timeout.toMillis() + " ms]: " + missing.get() + " results were missing; " + queued()
                    + " chunks were still queued on the node");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<List<R>> mapAsync(List<?> inputs) {
        return mapAsync(inputs, new AtomicInteger(inputs.size()));
    }

    /** {@link #mapAsync(List)}, counting down {@code missing} as results come in. */
    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<List<R>> mapAsync(List<?> inputs, AtomicInteger missing) {
        requireMapRouting();
        RuntimeFuture<List<R>> future = new RuntimeFuture<>(core.executor());
        int n = inputs.size();
        if (n == 0) {
            future.complete(List.of());
            return future;
        }
        Object[] results = new Object[n];
        Throwable[] firstFailure = new Throwable[1];
        int[] firstFailureIndex = {Integer.MAX_VALUE};
        int chunk = chunkSize(n);
        AtomicInteger unitsLeft = new AtomicInteger((n + chunk - 1) / chunk);
        List<Unit> units = new ArrayList<>();
        synchronized (lock) {
            for (int from = 0; from < n; from += chunk) {
                int start = from;
                ArrayList<Object> items = new ArrayList<>(inputs.subList(from, Math.min(n, from + chunk)));
                Object key = items.isEmpty() ? null : options.hashKey().apply(items.get(0));
                units.add(new Unit(++unitSeq, items, (res, error) -> {
                    missing.addAndGet(-items.size());
                    synchronized (results) {
                        for (int i = 0; i < items.size(); i++) {
                            Object r = error != null ? null : res.get(i);
                            Throwable t = error != null ? error : r instanceof Protocol.Failure f ? remote(f) : null;
                            if (t != null && start + i < firstFailureIndex[0]) {
                                firstFailureIndex[0] = start + i;
                                firstFailure[0] = t;
                            }
                            results[start + i] = r;
                        }
                    }
                    if (unitsLeft.decrementAndGet() == 0) {
                        Throwable failure;
                        synchronized (results) {
                            failure = firstFailure[0];
                        }
                        // the caller's callbacks run on the runtime executor, not on an I/O thread
                        core.executor().execute(() -> {
                            if (failure != null) {
                                future.completeExceptionally(failure);
                            } else {
                                future.complete((List<R>) Collections.unmodifiableList(java.util.Arrays.asList(results)));
                            }
                        });
                    }
                }, key, -1));
                units.get(units.size() - 1).inline = true;
            }
        }
        enqueue(units);
        return future;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Iterable<R> mapUnordered(List<?> inputs, Duration timeout) {
        requireMapRouting();
        LinkedBlockingQueue<Object[]> done = new LinkedBlockingQueue<>(); // {value} or {null, throwable}
        int n = inputs.size();
        int chunk = chunkSize(Math.max(1, n));
        List<Unit> units = new ArrayList<>();
        synchronized (lock) {
            for (int from = 0; from < n; from += chunk) {
                ArrayList<Object> items = new ArrayList<>(inputs.subList(from, Math.min(n, from + chunk)));
                units.add(new Unit(++unitSeq, items, (res, error) -> {
                    for (int i = 0; i < items.size(); i++) {
                        Object r = error != null ? null : res.get(i);
                        Throwable t = error != null ? error : r instanceof Protocol.Failure f ? remote(f) : null;
                        done.add(t != null ? new Object[] {null, t} : new Object[] {r});
                    }
                }, items.isEmpty() ? null : options.hashKey().apply(items.get(0)), -1));
                units.get(units.size() - 1).inline = true;
            }
        }
        enqueue(units);
        long deadline = System.nanoTime() + timeout.toNanos();
        return () -> new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < n;
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object[] r;
                try {
                    r = done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a result of pool [" + name + "]", e);
                }
                if (r == null) {
                    throw new AskTimeoutException("pool [" + name + "]", "mapUnordered of " + n + " items, "
                            + (n - taken) + " results missing", timeout, true);
                }
                taken++;
                if (r.length == 2) {
                    Throwable t = (Throwable) r[1];
                    throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
                }
                return (R) r[0];
            }
        };
    }

    private void requireMapRouting() {
        if (options.routing() == Routing.BROADCAST) {
            throw new IllegalStateException("pool [" + name + "] broadcasts every task to every worker; map needs another "
                    + "routing (use submit for broadcasts)");
        }
    }

    private int chunkSize(int n) {
        if (options.chunkSize() > 0) {
            return options.chunkSize();
        }
        int perWorker = slots.length * 4;  // as Python's Pool.map: about four chunks per worker
        return Math.max(1, (n + perWorker - 1) / perWorker);
    }

    @SuppressWarnings("unchecked")
    private <R> void complete(CompletableFuture<R> future, List<Object> results, Throwable error, int index) {
        if (error != null) {
            future.completeExceptionally(error);
        } else if (results.get(index) instanceof Protocol.Failure f) {
            future.completeExceptionally(remote(f));
        } else {
            future.complete((R) results.get(index));
        }
    }

    private static RemoteActorException remote(Protocol.Failure f) {
        return new RemoteActorException(f.actorPath(), f.className(), f.message(), f.stackTrace());
    }

    // ---- dispatching (all under lock) ----

    private void enqueue(List<Unit> units) {
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new IllegalStateException("pool [" + name + "] is " + state.name().toLowerCase()
                        + "; it takes no new tasks");
            }
            if (broken != null) {
                throw broken;
            }
            for (Unit u : units) {
                route(u);
            }
            pump();
        }
    }

    /** Sends the unit at once (push routings) or queues it for the next free worker (work pulling). */
    private void route(Unit u) {
        Worker w = switch (u.fixedSlot >= 0 ? Routing.BROADCAST : options.routing()) {
            case WORK_PULLING -> null;
            case ROUND_ROBIN -> nextInTurn();
            case RANDOM -> randomWorker();
            case LEAST_LOADED -> leastLoaded();
            case CONSISTENT_HASHING -> takesWork(slots[ring.slotFor(u.hashKey)]) ? slots[ring.slotFor(u.hashKey)] : nextInTurn();
            case BROADCAST -> takesWork(slots[u.fixedSlot]) ? slots[u.fixedSlot] : null;
        };
        if (w == null) {
            queue.addLast(u);
        } else {
            send(u, w);
        }
    }

    private static boolean takesWork(Worker w) {
        return w != null && w.takesWork();
    }

    private Worker nextInTurn() {
        for (int i = 0; i < slots.length; i++) {
            Worker w = slots[Math.floorMod(roundRobin++, slots.length)];
            if (takesWork(w)) {
                return w;
            }
        }
        return null;
    }

    private Worker randomWorker() {
        int start = ThreadLocalRandom.current().nextInt(slots.length);
        for (int i = 0; i < slots.length; i++) {
            Worker w = slots[(start + i) % slots.length];
            if (takesWork(w)) {
                return w;
            }
        }
        return null;
    }

    private Worker leastLoaded() {
        Worker best = null;
        for (Worker w : slots) {
            if (takesWork(w) && (best == null || load(w) < load(best))) {
                best = w;
            }
        }
        return best;
    }

    private static int load(Worker w) {
        return w.reportedDepth + w.sentSinceReport;
    }

    /** Work pulling: hands queued units to workers that have room, the least busy first. */
    private void pump() {
        int limit = prefetchLimit();
        while (!queue.isEmpty()) {
            Unit head = queue.peekFirst();
            Worker best = null;
            if (head.fixedSlot >= 0 || options.routing() != Routing.WORK_PULLING) {
                best = head.fixedSlot >= 0 ? slots[head.fixedSlot] : leastLoaded();
                if (!takesWork(best)) {
                    return; // waits for a (replacement) worker
                }
            } else {
                for (Worker w : slots) {
                    // a worker stuck on a timed-out task gets no more work until it comes back: what it
                    // prefetched would wait behind that task (and time out too)
                    if (takesWork(w) && w.overdue == 0 && w.inFlight < limit && (best == null || w.inFlight < best.inFlight)) {
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

    private int prefetchLimit() {
        if (options.prefetch() > 0) {
            return options.prefetch();
        }
        if (serviceNanosPerUnit < 0) {
            return 1;
        }
        Unit next = queue.peekFirst();
        if (next != null && next.items.size() > 1) {
            return 2; // chunks: the next one travels while the worker computes this one
        }
        // keep about a millisecond of work queued per worker
        return (int) Math.max(1, Math.min(MAX_PREFETCH, TARGET_QUEUED_NANOS / Math.max(1.0, serviceNanosPerUnit)));
    }

    private void send(Unit u, Worker w) {
        u.worker = w;
        w.inFlight++;
        w.sentSinceReport++;
        w.itemsAssigned += u.items.size();
        inFlight.put(u.id, u);
        if (options.maxTasksPerChild() > 0 && w.itemsAssigned >= options.maxTasksPerChild()) {
            w.retiring = true;
        }
        if (!options.taskTimeout().isZero()) {
            // counted from sending (each attempt anew): time spent queued on the node does not count,
            // nor does a worker's start-up (its JVM, its actor's constructor and preStart, the initializer)
            if (u.timer != null) {
                u.timer.cancel(false);
                u.timer = null;
            }
            CompletableFuture<?> startedUp = w.startedUp;
            if (startedUp.isDone()) {
                armTimer(u);
            } else {
                startedUp.thenRunAsync(() -> {
                    synchronized (lock) {
                        if (!u.finished && u.worker == w) {
                            armTimer(u);
                        }
                    }
                }, core.executor());
            }
        }
        try {
            // a worker gone already is not an error here: its exit notice fails or retries the unit
            core.sendBatch(w.ref.processName(), new Protocol.Batch(u.id, u.items));
        } catch (RuntimeException e) {
            inFlight.remove(u.id);
            w.inFlight--;
            finish(u, null, e);
        }
    }

    private void armTimer(Unit u) {
        u.timer = core.scheduler().schedule(() -> timeOut(u), options.taskTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- results and failures ----

    /** A message sent to {@link #ref()}: forwarded to one worker (all, for broadcast), which replies to the sender. */
    private void routeMessage(ActorRef sender, Object body) {
        List<Worker> targets = new ArrayList<>();
        synchronized (lock) {
            switch (options.routing()) {
                case BROADCAST -> {
                    for (Worker w : slots) {
                        if (takesWork(w)) {
                            targets.add(w);
                        }
                    }
                }
                case RANDOM -> targets.add(randomWorker());
                case ROUND_ROBIN -> targets.add(nextInTurn());
                case CONSISTENT_HASHING -> {
                    Worker w = slots[ring.slotFor(options.hashKey().apply(body))];
                    targets.add(takesWork(w) ? w : nextInTurn());
                }
                default -> targets.add(leastLoaded());
            }
            for (Worker w : targets) {
                if (w != null && targets.size() == 1) {
                    // the reply goes to the sender, not through the pool: count the message as load,
                    // or least-loaded (and work pulling, which routes ref messages so) picks one worker forever
                    w.sentSinceReport++;
                }
            }
        }
        for (Worker w : targets) {
            if (w == null) {
                core.deadLetter(self, sender, body, DeadLetterReason.NO_WORKER, "pool [" + name + "] has no live worker");
            } else {
                w.ref.tell(body, sender);
            }
        }
    }

    private void onResult(Protocol.BatchResult r) {
        Unit u;
        Worker retired = null;
        synchronized (lock) {
            u = inFlight.remove(r.id());
            if (u == null) {
                initialized(r.id());
                return;
            }
            anyResult = true;
            startupFailedSinceResult = false;
            Worker w = u.worker;
            w.inFlight--;
            if (u.overdue) {
                w.overdue--;
            }
            w.reportedDepth = r.queueDepth();
            w.sentSinceReport = 0;
            serviceNanosPerUnit = serviceNanosPerUnit < 0 ? r.serviceNanos() : 0.8 * serviceNanosPerUnit + 0.2 * r.serviceNanos();
            if (w.retiring && w.inFlight == 0 && !w.exited && slots[w.slot] == w) {
                retired = w;
                startWorker(w.slot); // the replacement takes the slot before the old worker leaves
            }
            pump();
            checkDrained();
        }
        finish(u, r.results(), null);
        if (retired != null) {
            log.debug("Worker [{}] of pool [{}] completed {} tasks; replaced", retired.process.name(), name, retired.itemsAssigned);
            retired.process.terminate();
        }
    }

    /** The result of a worker's initializer barrier (see startWorker): its task timers may start. */
    private void initialized(long barrierId) {
        for (Worker w : slots) {
            if (w != null && w.initializedBarrier == barrierId) {
                w.startedUp.complete(null);
                return;
            }
        }
    }

    private void timeOut(Unit u) {
        synchronized (lock) {
            if (u.finished || u.worker == null && !queue.contains(u)) {
                return;
            }
            if (u.worker != null && inFlight.get(u.id) == u) {
                u.overdue = true;
                u.worker.overdue++;
            }
        }
        String target = u.worker != null ? u.worker.ref.path() : "pool [" + name + "]";
        boolean alive = u.worker != null && u.worker.process.isAlive();
        String type = u.items.isEmpty() || u.items.get(0) == null ? "null" : u.items.get(0).getClass().getName();
        finish(u, null, new AskTimeoutException(target, type, options.taskTimeout(), alive));
    }

    /** Delivers a unit's outcome once; later results for it are dropped. */
    private void finish(Unit u, List<Object> results, Throwable error) {
        synchronized (lock) {
            if (u.finished) {
                return;
            }
            u.finished = true;
            if (u.timer != null) {
                u.timer.cancel(false);
            }
        }
        if (u.fixedSlot < 0) { // broadcast copies are counted per task, in broadcast()
            completedTasks.addAndGet(u.items.size()); // before the outcome, so a completed map is fully counted
        }
        if (u.inline) {
            u.outcome.done(results, error);
        } else {
            core.executor().execute(() -> u.outcome.done(results, error));
        }
    }

    private void workerExited(Worker w, ExitStatus status) {
        List<Unit> lost = new ArrayList<>();
        boolean replace;
        synchronized (lock) {
            w.exited = true;
            for (Iterator<Unit> it = inFlight.values().iterator(); it.hasNext(); ) {
                Unit u = it.next();
                if (u.worker == w) {
                    it.remove();
                    lost.add(u);
                }
            }
            if (node.isClosed() && state != State.STOPPED && state != State.TERMINATED) {
                // the actor system is closing and takes the workers with it: replacing them would fail
                state = State.TERMINATED;
                drained.complete(null);
                failQueued(new ActorTerminatedException("pool [" + name + "] stopped: its actor system was closed", status));
            }
            // a retired worker was replaced in its slot before it was told to stop; one that dies while
            // still draining (retiring, but still in its slot) is a crash like any other and is replaced
            boolean expected = state == State.STOPPED || state == State.TERMINATED || slots[w.slot] != w;
            replace = !expected;
            if (!expected) {
                log.warn("Worker [{}] of pool [{}] exited: {}; {} unit(s) of work were on it", w.process.name(), name, status, lost.size());
            }
            for (Unit u : lost) {
                if (!u.finished && u.attempts < options.retries() && state != State.TERMINATED) {
                    u.attempts++;
                    u.worker = null;
                    if (u.timer != null) {
                        u.timer.cancel(false); // the next send starts a new one
                    }
                    queue.addFirst(u);
                } else {
                    u.worker = null;
                    String type = u.items.isEmpty() || u.items.get(0) == null ? "null" : u.items.get(0).getClass().getName();
                    core.executor().execute(() -> finish(u, null, AskTable.terminated(w.ref, type, status)));
                }
            }
            if (replace) {
                // the exit code says so even when the child's notice of why it exits was lost
                boolean startupFailed = status.reason() == ExitStatus.Reason.STARTUP_FAILED
                        || status.signal() == 0 && status.code() == ExitStatus.STARTUP_FAILED_CODE;
                boolean giveUp = startupFailed && (noWorkerEverServed() || startupFailedSinceResult);
                startupFailedSinceResult |= startupFailed;
                if (giveUp) {
                    // the actor cannot start (any more): replacing it would only loop
                    slots[w.slot] = null;
                    if (liveWorkers() == 0) {
                        broken = new ActorCreationException("pool [" + name + "]: workers cannot start: " + status);
                        failQueued(broken);
                    }
                } else {
                    startWorker(w.slot);
                }
            }
            pump();
            checkDrained();
            if (all.stream().allMatch(x -> x.exited) && (state == State.STOPPED || state == State.TERMINATED)) {
                stopped.complete(null);
            }
        }
    }

    private boolean noWorkerEverServed() {
        return !anyResult;
    }

    private int liveWorkers() {
        int n = 0;
        for (Worker w : slots) {
            if (w != null && !w.exited) {
                n++;
            }
        }
        return n;
    }

    private void startWorker(int slot) {
        ChildHandle p = node.newChild(props, name + "-" + (++workerSeq), options.workerOptions());
        p.onBatchResult(this::onResult);
        Worker w = new Worker(slot, p);
        slots[slot] = w;
        all.add(w);
        if (options.initializer() != null) {
            // no sender: a reply to the initializer must not come back to the pool, which would route it as a task
            w.ref.tell(options.initializer(), null);
            // an empty batch behind it comes back once the actor has handled the initializer (one mailbox, in order)
            w.initializedBarrier = ++unitSeq;
            w.startedUp = new CompletableFuture<Void>();
            core.sendBatch(p.name(), new Protocol.Batch(w.initializedBarrier, new ArrayList<>()));
        } else {
            w.startedUp = p.ready();
        }
        p.onExit().thenAccept(status -> workerExited(w, status));
        p.start();
    }

    private void failQueued(RuntimeException error) {
        Unit u;
        while ((u = queue.pollFirst()) != null) {
            Unit unit = u;
            core.executor().execute(() -> finish(unit, null, error));
        }
    }

    /** After close(): when nothing is queued or running, stops the workers. */
    private void checkDrained() {
        if (state == State.CLOSING && queue.isEmpty() && inFlight.values().stream().allMatch(u -> u.finished)) {
            state = State.STOPPED;
            drained.complete(null);
            for (Worker w : slots) {
                if (w != null && !w.exited) {
                    w.process.terminate();
                }
            }
            if (all.stream().allMatch(x -> x.exited)) {
                stopped.complete(null);
            }
        }
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.OPEN) {
                state = State.CLOSING;
                checkDrained();
            }
        }
        try {
            drained.get(); // queued work finishes first, however long it takes (Python's close + join)
            long grace = node.settings().terminateGracePeriod().toMillis() + 10_000;
            try {
                stopped.get(grace, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // the workers were told to stop; one that has not exited by now is killed: close never hangs
                List<Worker> left;
                synchronized (lock) {
                    left = all.stream().filter(w -> !w.exited).toList();
                }
                log.warn("Pool [{}]: {} worker(s) still running {} ms after close(); killing them", name, left.size(), grace);
                left.forEach(w -> w.process.kill());
                stopped.get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Pool [{}] closed without seeing every worker exit: {}", name, e.toString());
        } finally {
            core.unregisterReceiver(receiverName(name));
        }
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            if (state == State.OPEN) {
                throw new IllegalStateException("pool [" + name + "] is still open; call close() or terminate() before join()");
            }
        }
        try {
            stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public void terminate() {
        List<Unit> pending = new ArrayList<>();
        synchronized (lock) {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            drained.complete(null);
            pending.addAll(queue);
            queue.clear();
            pending.addAll(inFlight.values());
            for (Worker w : slots) {
                if (w != null && !w.exited) {
                    w.process.kill();
                }
            }
            if (all.stream().allMatch(x -> x.exited)) {
                stopped.complete(null);
            }
        }
        ActorTerminatedException error = new ActorTerminatedException("pool [" + name + "] was terminated before the task finished", null);
        for (Unit u : pending) {
            finish(u, null, error);
        }
        core.unregisterReceiver(receiverName(name));
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", " + options + "]";
    }
}
