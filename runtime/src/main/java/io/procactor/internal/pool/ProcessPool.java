package io.procactor.internal.pool;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.Routing;
import io.procactor.Task;
import io.procactor.internal.core.DeadLetterReason;
import io.procactor.internal.core.FunctionWorker;
import io.procactor.internal.core.Names;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeFuture;
import io.procactor.internal.core.Ticker;
import io.procactor.internal.node.Functions;
import io.procactor.internal.node.NodeRuntime;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of a {@link Pool}: the API, the assembly of results, and the pool's life
 * (open → closing → stopped, or terminated). Work travels in {@link WorkUnit}s (one task, or a
 * chunk of a map) handed out by the {@link PoolDispatcher} to the processes {@link PoolWorkers}
 * keeps running.
 *
 * <p>Concurrency: one {@code lock} guards the state of this class ({@code state}, {@code broken}),
 * of the dispatcher (queue, units in flight, load figures) and of the workers (slots, every
 * {@link PoolWorker}'s and {@link WorkUnit}'s mutable fields). Callers: user threads ({@code submit},
 * {@code map*}, {@code close}, {@code join}, {@code terminate}), the I/O thread of a worker's
 * connection ({@link #onResult}, {@link #routeMessage} for messages to {@link #ref()}), the runtime
 * executor (worker readiness and exits, outcomes) and the scheduler (task timers). Futures and
 * outcomes complete outside the lock.
 *
 * <p>Length: a little under 500 lines: the whole {@link Pool} API (submit, map, mapAsync,
 * mapUnordered, broadcast, close, join, terminate, and their forms for functions, which wrap each
 * input in a {@code Protocol.Call}) with its argument checks; dispatch, workers and
 * result assembly are PoolDispatcher, PoolWorkers and the *Results classes.
 */
public final class ProcessPool implements Pool {
    private static final Logger log = LoggerFactory.getLogger(ProcessPool.class);
    private static final AtomicInteger POOL_SEQ = new AtomicInteger();

    private enum State { OPEN, CLOSING, STOPPED, TERMINATED }

    private final NodeRuntime node;
    /** Whether the workers are {@link FunctionWorker}s, which take functions. */
    private final boolean functions;
    private final String actorClass;
    private final ProcessCore core;
    private final PoolOptions options;
    private final String name;
    private final RefImpl self;
    private final Ticker ticker;
    private final Object lock = new Object();
    private final PoolWorker[] slots;
    private final List<PoolWorker> slotList;
    private final PoolDispatcher dispatcher;
    private final PoolWorkers workers;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();  // after close(): no work left

    // guarded by lock
    private State state = State.OPEN;
    private RuntimeException broken;              // set when no worker can start

    public ProcessPool(NodeRuntime node, Props props, PoolOptions options) {
        this.node = node;
        this.functions = props.actorClass() == FunctionWorker.class;
        this.actorClass = props.actorClass().getName();
        this.core = node.core();
        this.options = options;
        this.name = options.name() != null ? options.name() : "pool-" + POOL_SEQ.incrementAndGet();
        Names.check(name, "pool");
        this.ticker = Ticker.SYSTEM;
        this.slots = new PoolWorker[options.size()];
        this.slotList = Arrays.asList(slots);
        this.dispatcher = new PoolDispatcher(lock, name, options, slots, core.executor(), core.scheduler(),
                new PoolDispatcher.WorkerPort() {
                    @Override
                    public void send(PoolWorker w, Protocol.Batch batch) {
                        core.sendBatch(w.name, batch);
                    }

                    @Override
                    public void stop(PoolWorker w) {
                        try {
                            w.process.terminate();
                        } catch (RuntimeException e) {
                            w.process.kill(); // it must not keep the stuck task's worker
                        }
                    }
                }, this::checkDrained);
        this.workers = new PoolWorkers(node, props, options, name, slots, this::onResult, this::workerExited);
        this.self = core.registerReceiver(receiverName(name), this::routeMessage);
        try {
            synchronized (lock) {
                workers.startAll(dispatcher);
            }
        } catch (RuntimeException | Error e) { // no pool for the caller: the workers already started must not outlive it
            terminate();
            throw e;
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
            return workers.liveProcesses();
        }
    }

    @Override
    public ActorRef ref() {
        return self;
    }

    @Override
    public int queued() {
        synchronized (lock) {
            return dispatcher.queued();
        }
    }

    @Override
    public long completedTasks() {
        return dispatcher.completedTasks();
    }

    // ---- submitting and assembling results ----

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> submit(Object task) {
        requireTaskFits(task);
        RuntimeFuture<R> future = new RuntimeFuture<>(core.executor());
        if (options.routing() == Routing.BROADCAST) {
            broadcast(task, future);
            return future;
        }
        enqueue(List.of(unit(items(task), (results, error) -> {
            Throwable t = error != null ? error : PoolFailures.failureOf(results.get(0));
            if (t != null) {
                future.completeExceptionally(t);
            } else {
                future.complete((R) results.get(0));
            }
        }, -1, false)));
        return future;
    }

    /** One copy per slot; the task's result is the list of the workers' results. */
    private <R> void broadcast(Object task, RuntimeFuture<R> future) {
        BroadcastResults<R> results = new BroadcastResults<>(slots.length, future, () -> dispatcher.countCompleted(1));
        List<WorkUnit> units = new ArrayList<>();
        for (int s = 0; s < slots.length; s++) {
            int slot = s;
            units.add(unit(items(task), (res, error) -> results.copyDone(slot, res, error), slot, false));
        }
        enqueue(units);
    }

    @Override
    public <R> List<R> map(List<?> inputs, Duration timeout) throws InterruptedException, TimeoutException {
        requireInputs(inputs).forEach(this::requireTaskFits);
        requireTimeout(timeout);
        AtomicInteger missing = new AtomicInteger(inputs.size());
        CompletableFuture<List<R>> f = mapAsync(inputs, missing);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("map of " + inputs.size() + " items on pool [" + name + "] did not finish within ["
                    + timeout.toMillis() + " ms]: " + missing.get() + " results were missing; " + queued()
                    + " chunks were still queued on the node");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : new IllegalStateException("map on pool [" + name + "] failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public <R> CompletableFuture<List<R>> mapAsync(List<?> inputs) {
        requireInputs(inputs).forEach(this::requireTaskFits);
        return mapAsync(inputs, new AtomicInteger(inputs.size()));
    }

    /** {@link #mapAsync(List)}, counting down {@code missing} as results come in. */
    private <R> CompletableFuture<List<R>> mapAsync(List<?> inputs, AtomicInteger missing) {
        requireMapRouting();
        RuntimeFuture<List<R>> future = new RuntimeFuture<>(core.executor());
        int n = inputs.size();
        if (n == 0) {
            future.complete(List.of());
            return future;
        }
        int chunk = chunkSize(n);
        MapResults<R> results = new MapResults<>(name, n, (n + chunk - 1) / chunk, future, core.executor());
        List<WorkUnit> units = new ArrayList<>();
        for (int from = 0; from < n; from += chunk) {
            int start = from;
            ArrayList<Object> items = new ArrayList<>(inputs.subList(from, Math.min(n, from + chunk)));
            units.add(unit(items, (res, error) -> {
                missing.addAndGet(-items.size());
                results.chunkDone(start, items.size(), res, error);
            }, -1, true));
        }
        enqueue(units);
        return future;
    }

    // ---- functions as tasks (a pool made by ActorSystem.pool(PoolOptions)) ----

    @Override
    public <T, R> CompletableFuture<R> submit(Task.Fn<? super T, ? extends R> fn, T arg) {
        return submit(calls(fn, java.util.Collections.singletonList(arg)).get(0));
    }

    @Override
    public <R> CompletableFuture<R> submit(Task.Fn0<? extends R> fn) {
        requireFunctionPool();
        Functions.requireSendable(node, fn);
        return submit(new Protocol.Call(fn, List.of()));
    }

    @Override
    public <T, R> List<R> map(Task.Fn<? super T, ? extends R> fn, List<? extends T> inputs, Duration timeout)
            throws InterruptedException, TimeoutException {
        return map(calls(fn, inputs), timeout);
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(Task.Fn<? super T, ? extends R> fn, List<? extends T> inputs) {
        return mapAsync(calls(fn, inputs));
    }

    @Override
    public <T, R> Iterable<R> mapUnordered(Task.Fn<? super T, ? extends R> fn, List<? extends T> inputs, Duration timeout) {
        return mapUnordered(calls(fn, inputs), timeout);
    }

    /** One call of {@code fn} per input; checks on the caller's thread that the function may be sent. */
    private List<Object> calls(Object fn, List<?> inputs) {
        requireInputs(inputs);
        requireFunctionPool();
        Functions.requireSendable(node, fn);
        List<Object> calls = new ArrayList<>(inputs.size());
        for (Object input : inputs) {
            calls.add(new Protocol.Call(fn, java.util.Collections.singletonList(input)));
        }
        return calls;
    }

    /** A function pool's workers take only calls: a plain value is a forgotten function, said here rather than by a worker. */
    private void requireTaskFits(Object task) {
        if (functions && !(task instanceof Protocol.Call)) {
            throw new IllegalArgumentException("pool [" + name + "] runs functions, and a task of type ["
                    + (task == null ? "null" : task.getClass().getName()) + "] is not one: pass the function too, "
                    + "pool.map(Main::f, inputs, timeout) or pool.submit(Main::f, x); for a pool of actors that take "
                    + "messages, use system.pool(Props.create(MyActor.class), options)");
        }
    }

    private List<?> requireInputs(List<?> inputs) {
        if (inputs == null) {
            throw new NullPointerException("map on pool [" + name + "]: inputs is null; give a list (List.of() for none)");
        }
        return inputs;
    }

    /** Checked before any work is queued: a map that cannot wait must not start tasks nobody collects. */
    private void requireTimeout(Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("map on pool [" + name + "]: timeout is null; give how long to wait for the "
                    + "results, such as Duration.ofMinutes(1)");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("map on pool [" + name + "]: timeout [" + timeout + "] is negative; give "
                    + "how long to wait for the results, zero or more");
        }
    }

    private void requireFunctionPool() {
        if (!functions) {
            throw new IllegalStateException("pool [" + name + "] runs actor [" + actorClass + "]: it takes messages, not functions; "
                    + "make a pool for functions with system.pool(PoolOptions.size(n))");
        }
    }

    @Override
    public <R> Iterable<R> mapUnordered(List<?> inputs, Duration timeout) {
        requireInputs(inputs).forEach(this::requireTaskFits);
        requireTimeout(timeout);
        requireMapRouting();
        int n = inputs.size();
        int chunk = chunkSize(Math.max(1, n));
        UnorderedResults<R> results = new UnorderedResults<>(name, n, timeout, ticker);
        List<WorkUnit> units = new ArrayList<>();
        for (int from = 0; from < n; from += chunk) {
            ArrayList<Object> items = new ArrayList<>(inputs.subList(from, Math.min(n, from + chunk)));
            units.add(unit(items, (res, error) -> results.chunkDone(items.size(), res, error), -1, true));
        }
        enqueue(units);
        return results;
    }

    private void requireMapRouting() {
        if (options.routing() == Routing.BROADCAST) {
            throw new IllegalStateException("pool [" + name + "] broadcasts every task to every worker; map needs another "
                    + "routing (use submit for broadcasts)");
        }
    }

    private int chunkSize(int n) {
        if (options.chunkSize() > 0) {
            return Math.min(options.chunkSize(), n); // (n + chunk - 1) / chunk must not overflow
        }
        int perWorker = slots.length * 4;  // as Python's Pool.map: about four chunks per worker
        return Math.max(1, (n + perWorker - 1) / perWorker);
    }

    private WorkUnit unit(ArrayList<Object> items, WorkUnit.Outcome outcome, int fixedSlot, boolean inline) {
        synchronized (lock) {
            return new WorkUnit(dispatcher.nextId(), items, outcome, fixedSlot, inline);
        }
    }

    private static ArrayList<Object> items(Object task) {
        ArrayList<Object> items = new ArrayList<>(1);
        items.add(task);
        return items;
    }

    private void enqueue(List<WorkUnit> units) {
        List<PoolWorker> live;
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new IllegalStateException("pool [" + name + "] is " + state.name().toLowerCase()
                        + "; it takes no new tasks");
            }
            if (broken != null) {
                throw broken;
            }
            for (WorkUnit u : units) {
                dispatcher.dispatch(u);
            }
            dispatcher.pump();
            // work pulling's prefetch bounds what is in flight: no wait, and nothing to collect on a submit's hot path
            live = options.routing() == Routing.WORK_PULLING ? List.of()
                    : workers.live().stream().filter(PoolWorker::takesWork).toList();
        }
        // push routings send whatever comes: backpressure, as for any other sender, but after the lock
        // (the pool sent without waiting), so that a submit loop cannot fill the node's buffers while
        // workers lag. One deadline for all: a worker that does not read makes a caller wait once, not per worker.
        long deadline = System.nanoTime() + node.settings().blockTimeout().toNanos();
        for (PoolWorker w : live) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            w.process.awaitRoom(left);
        }
    }

    /** A message sent to {@link #ref()}: forwarded to one worker (all, for broadcast), which replies to the sender. */
    private void routeMessage(ActorRef sender, Object body) {
        List<PoolWorker> targets;
        synchronized (lock) {
            targets = dispatcher.routing().select(body, slotList);
            if (targets.size() == 1) {
                // the reply goes to the sender, not through the pool: count the message as load,
                // or least-loaded (and work pulling, which routes ref messages so) picks one worker forever
                targets.get(0).sentSinceReport++;
            }
        }
        if (targets.isEmpty()) {
            core.deadLetter(self, sender, body, DeadLetterReason.NO_WORKER, "pool [" + name + "] has no live worker");
        }
        for (PoolWorker w : targets) {
            w.process.ref().tell(body, sender);
        }
    }

    // ---- worker events ----

    /** A worker's batch result, on its connection's I/O thread. */
    private void onResult(Protocol.BatchResult r) {
        WorkUnit u;
        PoolWorker retired;
        synchronized (lock) {
            u = dispatcher.onResult(r);
            if (u == null) {
                return;
            }
            workers.served();
            // a stopped pool (closed and drained, or terminated) starts no replacement for a late result
            retired = state == State.OPEN || state == State.CLOSING ? workers.retireIfDrained(u.worker) : null;
            dispatcher.pump();
            checkDrained();
        }
        if (r.results().size() != u.items.size()) {
            // joined without parts that were lost as its worker's connection closed (see ChildHandle.batchResult)
            dispatcher.finish(u, null, new ActorTerminatedException("pool [" + name + "]: a chunk of " + u.items.size()
                    + " tasks came back with " + r.results().size() + " results; the rest were lost with their worker's "
                    + "connection", null));
        } else {
            dispatcher.finish(u, r.results(), null);
        }
        if (retired != null) {
            log.debug("Worker [{}] of pool [{}] completed {} tasks; replaced", retired.name, name, retired.itemsAssigned);
            retired.process.terminate();
        }
    }

    private void workerExited(PoolWorker w, ExitStatus status) {
        synchronized (lock) {
            w.exited = true;
            boolean systemClosed = node.isClosed() && state != State.STOPPED && state != State.TERMINATED;
            if (systemClosed) {
                // the actor system is closing and takes the workers with it: replacing them would fail
                state = State.TERMINATED;
                drained.complete(null);
            }
            // a retired worker was replaced in its slot before it was told to stop; one that dies while
            // still draining (retiring, but still in its slot) is a crash like any other and is replaced
            boolean crashed = (state == State.OPEN || state == State.CLOSING) && workers.holdsSlot(w);
            int lost = dispatcher.takeBack(w, status, state != State.TERMINATED);
            if (crashed && !w.stopping) {
                log.warn("Worker [{}] of pool [{}] exited: {}; {} unit(s) of work were on it", w.name, name, status, lost);
            }
            if (systemClosed) {
                dispatcher.failQueued(new ActorTerminatedException("pool [" + name + "] stopped: its actor system was closed",
                        status));
            }
            if (crashed && workers.replaceOrGiveUp(w, status)) {
                broken = PoolFailures.cannotStart(name, status);
                dispatcher.failQueued(broken);
            } else if (crashed && slots[w.slot] == null) {
                dispatcher.failPinned(w.slot, PoolFailures.slotGivenUp(name, w.slot));
            }
            dispatcher.pump();
            checkDrained();
            if (workers.allExited() && (state == State.STOPPED || state == State.TERMINATED)) {
                stopped.complete(null);
            }
        }
    }

    /** Lock held. After close(): when nothing is queued or running, stops the workers. */
    private void checkDrained() {
        if (state == State.CLOSING && dispatcher.idle()) {
            state = State.STOPPED;
            drained.complete(null);
            workers.terminateAll();
            if (workers.allExited()) {
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
                List<PoolWorker> left;
                synchronized (lock) {
                    left = workers.running();
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
        List<WorkUnit> pending;
        synchronized (lock) {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            drained.complete(null);
            pending = dispatcher.takeAll();
            workers.killAll();
            if (workers.allExited()) {
                stopped.complete(null);
            }
        }
        ActorTerminatedException error = PoolFailures.terminated(name);
        for (WorkUnit u : pending) {
            dispatcher.finish(u, null, error);
        }
        core.unregisterReceiver(receiverName(name));
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", " + options + "]";
    }
}
