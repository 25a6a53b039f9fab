package io.procactor.internal.pool;

import io.procactor.ActorProcess;
import io.procactor.ExitStatus;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.internal.node.ChildHandle;
import io.procactor.internal.node.NodeRuntime;
import io.procactor.internal.wire.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool's worker processes, one per slot: starts them, retires one that reached
 * {@code maxTasksPerChild} (its replacement takes the slot before it leaves), replaces one that
 * died, and gives a slot up when its actor cannot start, so a broken actor class fails the pool's
 * work instead of looping.
 *
 * <p>Concurrency: every field is guarded by the pool's {@code lock}; every method is called
 * holding it. Worker events (results, readiness, exits) arrive on I/O and runtime threads and go
 * through {@link ProcessPool} and {@link PoolDispatcher}, which take the lock.
 */
final class PoolWorkers {
    private static final Logger log = LoggerFactory.getLogger(PoolWorkers.class);

    private final NodeRuntime node;
    private final Props props;
    private final PoolOptions options;
    private final String pool;
    private final PoolWorker[] slots;
    private final Consumer<Protocol.BatchResult> results;
    private final BiConsumer<PoolWorker, ExitStatus> exits;
    private PoolDispatcher dispatcher;

    // guarded by the pool's lock
    private final List<PoolWorker> all = new ArrayList<>();
    private int workerSeq;
    private boolean anyResult;                    // a worker has returned a result at least once
    private boolean startupFailedSinceResult;     // a worker failed to start and no result came back since

    /**
     * @param results where each worker's batch results go (on its connection's I/O thread)
     * @param exits   told when a worker's process has exited
     */
    PoolWorkers(NodeRuntime node, Props props, PoolOptions options, String pool, PoolWorker[] slots,
                Consumer<Protocol.BatchResult> results, BiConsumer<PoolWorker, ExitStatus> exits) {
        this.node = node;
        this.props = props;
        this.options = options;
        this.pool = pool;
        this.slots = slots;
        this.results = results;
        this.exits = exits;
    }

    /** Lock held. Starts every slot's first worker. */
    void startAll(PoolDispatcher dispatcher) {
        this.dispatcher = dispatcher;
        for (int i = 0; i < slots.length; i++) {
            start(i);
        }
    }

    /** Lock held. A new worker process for {@code slot}; work goes to it once its actor is up. */
    private void start(int slot) {
        ChildHandle p = node.newChild(props, pool + "-" + (++workerSeq), options.workerOptions());
        p.onBatchResult(results);
        PoolWorker w = new PoolWorker(slot, p.name(), p.ref().path(), p);
        slots[slot] = w;
        all.add(w);
        if (options.initializer() != null) {
            // no sender: a reply to the initializer must not come back to the pool, which would route it as a task
            p.ref().tell(options.initializer(), null);
            // an empty batch behind it comes back once the actor has handled the initializer (one mailbox, in order)
            node.core().sendBatch(p.name(), new Protocol.Batch(dispatcher.barrier(w), new ArrayList<>()));
        } else {
            w.startedUp = p.ready();
        }
        p.ready().thenRun(() -> dispatcher.ready(w));
        p.onExit().thenAccept(status -> exits.accept(w, status));
        p.start();
    }

    /** Lock held. A result came back: the actor can start, whatever failed before. */
    void served() {
        anyResult = true;
        startupFailedSinceResult = false;
    }

    /**
     * Lock held. When {@code w} is retiring and has no work left, starts its replacement in its slot and
     * returns it, to be terminated outside the lock; else null.
     */
    PoolWorker retireIfDrained(PoolWorker w) {
        if (w.retiring && w.inFlight == 0 && !w.exited && slots[w.slot] == w) {
            try {
                start(w.slot); // the replacement takes the slot before the old worker leaves
            } catch (RuntimeException e) {
                // the system closes, or the replacement's launch failed at once (its exit told the pool already):
                // the result that came in still counts, and the old worker stays if it still holds its slot
                log.warn("Worker [{}] of pool [{}] could not be replaced after {} tasks: {}", w.name, pool, w.itemsAssigned,
                        e.toString());
                if (slots[w.slot] == w) {
                    w.retiring = false;
                    return null;
                }
            }
            return w;
        }
        return null;
    }

    /** Lock held. Whether {@code w} still holds its slot: its exit is then a crash (a retired worker was replaced first). */
    boolean holdsSlot(PoolWorker w) {
        return slots[w.slot] == w;
    }

    /**
     * Lock held. Replaces {@code w}, which crashed, unless its actor cannot start (any more):
     * replacing it would only loop, so its slot stays empty.
     *
     * @return true when no worker is left to do the pool's work
     */
    boolean replaceOrGiveUp(PoolWorker w, ExitStatus status) {
        // the exit code says so even when the child's notice of why it exits was lost
        boolean startupFailed = status.reason() == ExitStatus.Reason.STARTUP_FAILED
                || status.signal() == 0 && status.code() == ExitStatus.STARTUP_FAILED_CODE;
        boolean giveUp = startupFailed && (!anyResult || startupFailedSinceResult);
        startupFailedSinceResult |= startupFailed;
        if (!giveUp) {
            start(w.slot);
            return false;
        }
        log.warn("Worker [{}] of pool [{}] cannot start: {}; its slot stays empty", w.name, pool, status);
        slots[w.slot] = null;
        return live().isEmpty();
    }

    /** Lock held. Workers alive or starting, in slot order. */
    List<PoolWorker> live() {
        List<PoolWorker> live = new ArrayList<>();
        for (PoolWorker w : slots) {
            if (w != null && !w.exited) {
                live.add(w);
            }
        }
        return live;
    }

    /** Lock held. Their processes, for {@link io.procactor.Pool#workers()}. */
    List<ActorProcess> liveProcesses() {
        return live().stream().<ActorProcess>map(w -> w.process).toList();
    }

    /** Lock held. Every worker ever started (replaced ones too) has exited. */
    boolean allExited() {
        return all.stream().allMatch(w -> w.exited);
    }

    /** Lock held. Workers ever started that have not exited yet. */
    List<PoolWorker> running() {
        return all.stream().filter(w -> !w.exited).toList();
    }

    /** Lock held. Asks every slot's worker to stop (a close() that drained). */
    void terminateAll() {
        for (PoolWorker w : live()) {
            w.process.terminate();
        }
    }

    /** Lock held. Kills every slot's worker (terminate()). */
    void killAll() {
        for (PoolWorker w : live()) {
            w.process.kill();
        }
    }
}
