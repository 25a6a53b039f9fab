package io.procactor.internal.node;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus.Reason;
import io.procactor.ExitStatus;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.Association;
import io.procactor.internal.core.Failures;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeFuture;
import io.procactor.internal.core.Scheduler;
import io.procactor.internal.core.Ticker;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Hello;
import io.procactor.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's handle of one child process, the {@link ActorProcess} users hold. Each JVM it runs is
 * one incarnation; name, ref and link stay the same across incarnations (a restart swaps the link
 * so that later messages wait for the next JVM). A JVM is a warm spare taken from {@link SparePool}
 * when one fits, else launched when {@link LaunchAdmission} gives it a start slot, by {@link ChildLauncher}; {@link Heartbeats} watches it; its exit is
 * classified by {@link ExitClassifier} from what was observed, once the node has read its control
 * connection to the end; {@link ProcessRestarts} decides whether and when the
 * next incarnation starts.
 *
 * <p>Threads: user threads call {@link #start}, {@link #terminate}, {@link #kill}, {@link #join}
 * and the getters; the control connection's I/O thread calls {@link #connected}, {@link #heard},
 * {@link #listening}, {@link #actorStarted}, {@link #exiting} and {@link #batchResult}; the
 * scheduler runs heartbeats, the start timeout, the terminate grace period and the restart after
 * its backoff; the process reaper calls {@code exited}; a launch that waited for its start slot
 * runs on the executor; the hand-over of a spare ({@code adopted}) runs on the spare connection's
 * I/O thread; the node's {@code close()} calls {@link #awaitLaunch}. State changes ({@code launch},
 * a restart, {@code finish}, the hand-over) happen under this object's lock; what other threads read
 * is volatile. Thread-safe.
 *
 * <p>Length: about 770 lines, over the project's ~400, because it is the whole {@link ActorProcess}
 * (fifteen public methods with their checks and messages) and the one state machine of a process's
 * incarnations; every job that could stand alone already does (ChildLauncher, LaunchAdmission,
 * Heartbeats, Incarnation, ExitClassifier, ProcessRestarts, ChildAdmission, JvmOptionErrors).
 */
public final class ChildHandle implements ActorProcess {
    private static final Logger log = LoggerFactory.getLogger(ChildHandle.class);
    /**
     * How long after a child's JVM exited the node waits to have read its control connection to the
     * end. The kernel closes the child's end at once; a busy node may take seconds to read what is left.
     */
    private static final long CONNECTION_DRAIN_MILLIS = 30_000;
    /**
     * How long past the terminate grace period the JVM that writes the class-data sharing archive
     * may take to exit once its actors are done. Measured: 1.5 - 2.7 s at a load average of 10 on
     * 2 cores (0.4 s of CPU); more under heavier load. An AOT cache (JDK 25+): 2.4 - 3 s at a load
     * of 7, a second JVM assembling it.
     */
    static final long ARCHIVE_WRITE_MILLIS = 30_000;

    /** WAITING: started, its first JVM waits for a start slot (a restart waits in RESTARTING). */
    private enum State { NEW, WAITING, RUNNING, RESTARTING, EXITED }

    private final NodeRuntime node;
    private final String name;
    private final Props props;
    private final ProcessOptions options;
    private final Supplier<Endpoint> listenEndpoints;
    private final ChildLauncher launcher;
    private final Scheduler scheduler;
    private final RefImpl ref;
    private final CompletableFuture<ExitStatus> exit;
    private final CompletableFuture<ActorProcess> ready;
    private final ProcessRestarts restartPolicy; // guarded by this

    private volatile State state = State.NEW;
    private volatile Incarnation current;
    private volatile Association link;
    private volatile ExitStatus finalStatus;
    private volatile boolean stopRequested;     // terminate() or kill(): never restart
    private volatile boolean killRequested;
    private volatile boolean signalRequested;   // terminateNow(): SIGTERM, also to a JVM being launched
    private volatile boolean terminateEscalated;
    private volatile int restarts;
    private volatile Consumer<Protocol.BatchResult> batchSink;
    /** Results of batches that came in parts, by batch id, until their result comes; dropped when an incarnation exits. */
    private final Map<Long, List<Object>> partialResults = new ConcurrentHashMap<>();
    /** The launch of the next incarnation while it waits for a start slot. */
    private volatile LaunchAdmission.Ticket waiting;
    private volatile ExitStatus lastStatus; // of the last incarnation, final if the restart does not happen
    /** The incarnation that runs in a spare, until it is up. */
    private volatile Incarnation fromSpare;

    ChildHandle(NodeRuntime node, String name, Props props, ProcessOptions options, Supplier<Endpoint> listenEndpoints) {
        this.node = node;
        this.name = name;
        this.props = props;
        this.options = options;
        this.listenEndpoints = listenEndpoints;
        this.launcher = new ChildLauncher(node, props.actorClass());
        this.restartPolicy = new ProcessRestarts(name, options.restart(), Ticker.SYSTEM, RestartBackoff.withThreadLocalRandom());
        this.scheduler = node.core().scheduler();
        this.ref = node.core().ref(name, name);
        this.link = node.core().newLink(name);
        this.exit = new RuntimeFuture<>(node.core().executor());
        this.ready = new RuntimeFuture<>(node.core().executor());
        exit.whenComplete((s, e) -> ready.completeExceptionally(new ActorTerminatedException(
                "process [" + name + "] exited before it was ready: " + s, s)));
    }

    // ---- ActorProcess ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public ActorRef ref() {
        return ref;
    }

    @Override
    public String host() {
        Incarnation inc = current;
        return inc == null ? "local" : RemoteLaunches.hostOf(inc.process);
    }

    /** Whether the current JVM runs on a host agent (its peers reach it through the node). */
    boolean isRemote() {
        Incarnation inc = current;
        return inc != null && inc.process instanceof RemoteProcess;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public CompletableFuture<ActorProcess> ready() {
        return StartAwareFuture.following(ready, node.core().executor(), this::startProgress, name);
    }

    @Override
    public synchronized ActorProcess start() {
        if (state != State.NEW) {
            throw new IllegalStateException("process [" + name + "] was already started; a process can be started only once");
        }
        state = State.WAITING;
        admitLaunch(1);
        // the launch ran at once, on this thread, and failed; one that the system's close() (or a terminate()
        // or kill() on another thread) stopped before its JVM was launched ends like a terminated process.
        // A JVM that was launched and exited already (it refused an option, on a busy machine its exit was
        // seen before start() returned) is no failure to start: onExit() says why, as when it exits later.
        if (state == State.EXITED && finalStatus.reason() == Reason.STARTUP_FAILED && current == null) {
            throw new IllegalStateException("cannot start process [" + name + "]: " + finalStatus.detail());
        }
        return this;
    }

    @Override
    public long pid() {
        Incarnation inc = current;
        if (inc == null) {
            throw new IllegalStateException("process [" + name + "] has no pid: " + (state == State.NEW
                    ? "it was not started; call start() first" : startProgress()));
        }
        return inc.process.pid();
    }

    @Override
    public boolean isAlive() {
        State st = state;
        if (st == State.WAITING) {
            return true; // its JVM waits for a start slot
        }
        Incarnation inc = current;
        return inc != null && st != State.EXITED && (st == State.RESTARTING || inc.process.isAlive());
    }

    @Override
    public ExitStatus join() throws InterruptedException {
        checkStarted();
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("process [" + name + "] has no exit status: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        java.util.Objects.requireNonNull(timeout, () -> "join of process [" + name() + "]: timeout is null; give how long to "
                + "wait, such as Duration.ofSeconds(30)");
        checkStarted();
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void checkStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("cannot join process [" + name + "]: it was not started; call start() first");
        }
    }

    @Override
    public void terminate() {
        terminate(false);
    }

    private void terminate(boolean signal) {
        if (state == State.EXITED || exit.isDone() || state == State.NEW) {
            return;
        }
        stopRequested = true;
        if (signal) {
            signalRequested = true;
        }
        if (withdrawWaitingLaunch()) {
            finish(new ExitStatus(0, 0, Reason.TERMINATED, "terminated before its JVM was launched (it was waiting for a "
                    + "start slot, procactor.process.max-starting)", List.of()));
            return;
        }
        Incarnation inc = current;
        if (inc == null) {
            return; // being launched (launch() signals it or, connected, sends it Terminate, and starts the grace period) or its launch waits for a slot (admitLaunch withdraws it)
        }
        Process p = inc.process;
        Connection c = inc.connection;
        if (signal && p.isAlive()) {
            signalTerminate(p);
        } else if (c != null && c.isOpen()) {
            c.send(new Protocol.Terminate("terminate() called on the node"));
        } else if (!p.isAlive() && state == State.RESTARTING
                && finishRestart(new ExitStatus(0, 0, Reason.TERMINATED, "terminated while waiting to restart", List.of()))) {
            return;
        } // else not connected yet: connected() sends Terminate; the grace period below still applies
        startGracePeriod(inc);
    }

    // SIGTERM through the handle: Process.destroy() would also close the child's stdin, whose end makes
    // the child halt as orphaned (exit 65) before its SIGTERM hooks are done
    private static void signalTerminate(Process p) {
        if (p instanceof RemoteProcess) {
            p.destroy(); // the agent sends the signal
        } else {
            p.toHandle().destroy();
        }
    }

    private void startGracePeriod(Incarnation inc) {
        long grace = node.settings().terminateGracePeriod().toMillis();
        scheduler.schedule(() -> graceElapsed(inc, grace), grace, TimeUnit.MILLISECONDS);
    }

    /**
     * Finishes a process that waits to restart, its last JVM gone, with {@code status}; false when its
     * next JVM was launched meanwhile (that one is to stop: launch() saw stopRequested). The state is
     * checked under the lock, which a restart's launch in progress holds; none begins after it.
     */
    private boolean finishRestart(ExitStatus status) {
        synchronized (this) {
            if (state != State.RESTARTING) {
                return false;
            }
        }
        finish(status); // unless a refused launch finished it just now
        return true;
    }

    /**
     * Python's {@code Process.terminate()} for a function process: {@link #terminate()}, and SIGTERM
     * to its JVM at once. A function runs on the process's only actor, which would read the
     * {@code Terminate} message only after the function returned; the JVM ends now instead, with
     * exit code -15 as in Python, and the grace period still bounds a JVM that ignores the signal.
     */
    void terminateNow() {
        terminate(true);
    }

    /**
     * The terminate grace period is over: kill the JVM if it still runs. Except the JVM that writes
     * the class-data sharing archive at exit (see {@link ClassDataSharing}) once it said it is
     * exiting: its actors are done, and the JVM is writing the archive, which takes seconds on a
     * loaded machine (about 0.5 s of CPU). Killed, it loses the archive, so the first child of the
     * next run writes it again and is killed again (seen in {@code bench all}: the tell sink).
     */
    private void graceElapsed(Incarnation inc, long grace) {
        Process p = inc.process;
        if (!p.isAlive()) {
            return;
        }
        if (inc.archiveWrite != null && inc.notice != null) {
            log.debug("Process [{} {}] is writing the class-data sharing archive as it exits; allowing it {} ms more",
                    name, p.pid(), ARCHIVE_WRITE_MILLIS);
            scheduler.schedule(() -> escalateTerminate(inc, grace + ARCHIVE_WRITE_MILLIS), ARCHIVE_WRITE_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        escalateTerminate(inc, grace);
    }

    private void escalateTerminate(Incarnation inc, long waited) {
        Process p = inc.process;
        if (p.isAlive()) {
            terminateEscalated = true;
            log.warn("Process [{} {}] did not exit within the grace period of {} ms; killing it", name, p.pid(), waited);
            ClassDataSharing.kill(p, inc.archiveWrite);
        }
    }

    /** How long a terminated process may take to exit before the node kills it (see {@link #graceElapsed}). */
    long terminateAllowanceMillis() {
        Incarnation inc = current;
        return node.settings().terminateGracePeriod().toMillis() + (inc != null && inc.archiveWrite != null ? ARCHIVE_WRITE_MILLIS : 0);
    }

    @Override
    public void kill() {
        if (state == State.EXITED || exit.isDone() || state == State.NEW) {
            return;
        }
        killRequested = true; // first: whoever sees stopRequested sees that it is a kill
        stopRequested = true;
        if (withdrawWaitingLaunch()) {
            finish(new ExitStatus(-1, 9, Reason.KILLED, "killed before its JVM was launched (it was waiting for a start slot)",
                    List.of()));
            return;
        }
        Incarnation inc = current;
        if (inc == null) {
            return; // being launched (launch() kills the JVM it starts) or its launch waits for a slot (admitLaunch withdraws it)
        }
        if (inc.process.isAlive()) {
            ClassDataSharing.kill(inc.process, inc.archiveWrite);
        } else if (state == State.RESTARTING) {
            finishRestart(new ExitStatus(-1, 9, Reason.KILLED, "killed while waiting to restart", List.of()));
        }
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(finalStatus);
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    // ---- for the node ----

    /** Where messages for this process go; null once it has exited for good. */
    Association link() {
        return state == State.EXITED ? null : link;
    }

    Connection connection() {
        Incarnation i = current;
        return i == null ? null : i.connection;
    }

    /**
     * Waits, up to {@code millis}, while the outbound buffer of its connection is full: backpressure
     * for a sender that sent without waiting because it held a lock (a pool, see
     * {@code Association.send(message, false)}). Not on an I/O thread; keeps an interrupt.
     */
    public void awaitRoom(long millis) {
        Connection c = connection();
        if (c == null || c.isWritable() || Transport.isIoThread()) {
            return;
        }
        try {
            c.awaitWritable(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String peerEndpoint() {
        Incarnation i = current;
        return i == null ? null : i.peerEndpoint;
    }

    boolean isReady() {
        Incarnation i = current;
        return state == State.RUNNING && i != null && i.peerEndpoint != null;
    }

    /** Started and not up yet, as ready() sees it: until its actor was constructed and preStart returned. */
    boolean isStarting() {
        State st = state;
        Incarnation inc = current;
        return st == State.WAITING || st == State.RUNNING && (!isReady() || inc == null || !inc.actorStarted);
    }

    /** For the admin endpoint: new, starting, running, restarting or exited. */
    String stateName() {
        return isStarting() ? "starting" : state.name().toLowerCase(Locale.ROOT);
    }

    /** When the current incarnation's JVM was started (epoch millis), or 0 if never. */
    long startedMillis() {
        Incarnation i = current;
        return i == null ? 0 : i.startedMillis;
    }

    /**
     * Why the connection saying {@code hello} is not this process's JVM, or null when it is
     * (see {@link ChildAdmission}). Called before the node answers anything.
     */
    String refusal(Hello hello) {
        Incarnation inc = current;
        if (inc == null || inc.connection != null || !inc.process.isAlive()) {
            return "not a child this node is starting";
        }
        return ChildAdmission.refusal(name, inc.secret, inc.process.pid(), hello);
    }

    /** Who takes the pool results this process sends (its pool); set before it starts. */
    public void onBatchResult(Consumer<Protocol.BatchResult> sink) {
        batchSink = sink;
    }

    /** The first results of a batch too large for one frame (I/O thread), kept until its {@link Protocol.BatchResult}. */
    void batchPart(Protocol.BatchPart part) {
        partialResults.computeIfAbsent(part.id(), id -> new ArrayList<>()).addAll(part.results());
    }

    /** A pool task's result from this process (I/O thread), joined to the parts that came before it. */
    void batchResult(Protocol.BatchResult result) {
        List<Object> first = partialResults.remove(result.id());
        if (first != null) {
            first.addAll(result.results());
            result = new Protocol.BatchResult(result.id(), first, result.serviceNanos(), result.queueDepth());
        }
        Consumer<Protocol.BatchResult> sink = batchSink;
        if (sink != null) {
            sink.accept(result);
        } else {
            log.warn("Process [{}] sent a pool result but belongs to no pool; dropped", name);
        }
    }

    /** The child connected and proved the token: create its actor, then flush what waited for it. */
    void connected(Connection c) {
        Incarnation inc = current;
        inc.connection = c;
        inc.heartbeats.connected();
        c.send(new Protocol.SpawnActor(name, props.actorClass().getName(), new ArrayList<>(props.args())));
        link.attach(c);
        if (stopRequested && !killRequested) {
            // terminate() found it not connected, or being launched: its grace period runs already (terminate() or launch())
            c.send(new Protocol.Terminate("terminate() called before the process connected"));
        }
    }

    /** Any message from the child proves it is alive. */
    void heard() {
        Incarnation inc = current;
        if (inc != null) {
            inc.heartbeats.heard();
        }
    }

    /**
     * The child listens for peers at {@code endpoint}; sent as soon as it connected, so peers reach it
     * directly even while its actor's preStart waits on them (hence not the same event as ready()).
     * Its start is over: its start slot goes to the next JVM.
     */
    void listening(String endpoint) {
        Incarnation inc = current;
        inc.peerEndpoint = endpoint;
        inc.heartbeats.listening();
        node.launches().release(inc.ticket);
        readyIfUp(inc);
    }

    /** The child's actor could not be created (its constructor or preStart threw): ready() fails with why. */
    void actorStartFailed(Protocol.Failure failure) {
        Protocol.Failure f = MissingClassErrors.explain(java.util.stream.Stream.of(failure.className(), failure.message()),
                        launcher.classPath(options))
                .map(why -> new Protocol.Failure(failure.className(),
                        (failure.message() == null ? "" : failure.message() + "; ") + why, failure.stackTrace(),
                        failure.actorPath()))
                .orElse(failure);
        ready.completeExceptionally(Failures.startFailed(f));
    }

    /** The child's actor was constructed and its preStart returned. */
    void actorStarted() {
        Incarnation inc = current;
        inc.actorStarted = true;
        readyIfUp(inc);
    }

    // both, in either order: the actor can start before the child's run() has sent ChildReady
    private void readyIfUp(Incarnation inc) {
        if (inc.peerEndpoint != null && inc.actorStarted) {
            ready.complete(this);
            if (inc == fromSpare) {
                fromSpare = null;
                node.spares().handedOver(); // its replacement may start now
            }
        }
    }

    /** The child's own word on why it exits; its last frame on the control connection but for late postStop sends. */
    void exiting(Protocol.Exiting n) {
        Incarnation inc = current;
        if (inc != null) {
            inc.notice = n;
        }
    }

    // ---- launching ----

    /** Launches incarnation {@code number} when a start slot is free: at once, or later on the executor. */
    private void admitLaunch(int number) {
        if (node.isClosed()) { // start() after close() began: no start slot to wait for, which might never come
            launch(number, null, null); // refuses it
            return;
        }
        if (!options.placement().isLocal()) { // on a host agent: no local start slot, no spare
            waiting = null;
            if (number == 1) {
                launch(number, null, null); // on the starting thread: start() reports a failure at once
            } else {
                node.core().executor().execute(() -> launch(number, null, null)); // waits for the agent: not on the scheduler
            }
            return;
        }
        SparePool.Spare spare = node.spares().take(launcher.compatibilityKey(options));
        if (spare != null) { // a warm JVM needs no start slot of its own: it got one when it was launched
            waiting = null;
            launch(number, spare.ticket, spare);
            return;
        }
        waiting = node.launches().request(t -> launch(number, t, null));
        // A terminate() or kill() on another thread that read `waiting` before it was set found nothing to
        // withdraw, and a first launch would wait for a start slot before launch() refused it. Both sides
        // write their volatile and then read the other's, so one of them sees the other and withdraws it.
        // (A restart's stop finishes the process itself, with its own status: see finishRestart.)
        if (state == State.WAITING && stopRequested && withdrawWaitingLaunch()) {
            finish(notLaunched());
        }
    }

    private synchronized void launch(int number, LaunchAdmission.Ticket ticket, SparePool.Spare spare) {
        if (state == State.EXITED || stopRequested || node.isClosed()) {
            // terminated, killed or closed while it waited its turn (a first launch: also while start() got here)
            node.launches().release(ticket);
            if (spare != null) {
                node.spares().discard(spare);
            }
            if (state == State.RESTARTING) {
                finish(lastStatus);
            } else if (state == State.WAITING) {
                finish(notLaunched());
            }
            return;
        }
        ChildLauncher.Launched launched;
        try {
            launched = spare != null ? launcher.adopt(spare.started, name, spare.secret)
                    : options.placement().isLocal() ? launcher.launch(name, options, listenEndpoints)
                    : node.remote().launch(name, options);
        } catch (IOException | RuntimeException e) {
            if (spare != null) {
                node.spares().discard(spare); // releases its ticket
            } else {
                node.launches().release(ticket);
            }
            log.error("Cannot start process [{}]: {}", name, e.toString());
            finish(new ExitStatus(-1, 0, Reason.STARTUP_FAILED, (options.placement().isLocal() ? "cannot start ["
                    + ChildLauncher.javaExecutable() + "]: " : "cannot start it with placement " + options.placement() + ": ")
                    + e.getMessage(), List.of()));
            return;
        }
        Incarnation inc = new Incarnation(name, number, launched, ticket, scheduler, node.settings());
        Process process = inc.process;
        current = inc;
        state = State.RUNNING;
        inc.heartbeats.launched(); // the start timeout counts from here, not from the wait for a slot
        ProcessExits.of(process).thenRun(() -> exited(inc));
        if (process instanceof RemoteProcess r) {
            r.admit(); // current is set: its connection can be admitted now
        }
        // read after current is set: a terminate() or kill() that found no incarnation (set before this read) is seen here
        if (killRequested) {
            ClassDataSharing.kill(process, inc.archiveWrite);
        } else {
            if (stopRequested) {
                if (signalRequested) {
                    signalTerminate(process); // terminateNow() found no JVM to signal: this is the one
                }
                startGracePeriod(inc); // connected() sends it Terminate
            }
            if (spare != null) { // connected already, or as soon as it is: no connection of its own
                fromSpare = inc;
                node.spares().handOver(spare, this, c -> {
                    if (!c.execute(() -> adopted(inc, c))) {
                        process.destroyForcibly(); // the node's transport is closed: nothing will ever talk to it
                    }
                });
            }
        }
        log.debug("Started process [{} {}] (incarnation {}{})", name, process.pid(), number, spare != null ? ", from a spare" : "");
    }

    /**
     * The spare {@code inc} runs in is connected on {@code c}: it learns its process's name, then
     * gets what a child that connected gets (see {@link #connected}).
     *
     * <p>On {@code c}'s I/O thread, as a cold child's {@code connected} is: the spare answers Adopt
     * at once (ChildReady, Resolve), and nothing it says may be handled before the handle knows
     * its connection and its SpawnActor is queued. Run on the launching thread, a preempted
     * launcher let the node read ChildReady first: it looked the connection up as null, and the
     * NPE closed the connection of a process that had just restarted (seen under load); or it
     * announced the process to peers whose messages then reached a JVM with no actor yet. Under
     * this handle's lock, so that an exit of the spare's JVM meanwhile (which swaps the link) is
     * seen here or sees this connection.
     */
    private synchronized void adopted(Incarnation inc, Connection c) {
        if (current != inc || state != State.RUNNING || killRequested) { // its JVM died or is being killed
            c.close();
            return;
        }
        c.send(new Protocol.Adopt(name));
        node.spareConnected(this, c);
    }

    /** Whether the next incarnation was still waiting for a start slot; it never launches now. */
    private boolean withdrawWaitingLaunch() {
        LaunchAdmission.Ticket t = waiting;
        return t != null && node.launches().cancel(t);
    }

    /** The exit status of a process stopped before its first JVM was launched. */
    private ExitStatus notLaunched() {
        String why = node.isClosed() ? ": its actor system was closed" : "";
        return killRequested
                ? new ExitStatus(-1, 9, Reason.KILLED, "killed before its JVM was launched" + why, List.of())
                : new ExitStatus(0, 0, Reason.TERMINATED, "terminated before its JVM was launched" + why, List.of());
    }

    /**
     * For the node's {@code close()}, once the node is closed and this process was told to terminate:
     * whether a JVM of this process may still run, for close() to join it. Waits for a launch in
     * progress on another thread (it holds this lock); launch() started that JVM's grace period. A
     * first launch that has not begun never will (launch() refuses it now): the process is finished
     * here, not when its refused launch gets a start slot or a dispatcher thread, which may be never.
     * Holds no lock when it finishes the process (exit callbacks run on this thread).
     */
    boolean awaitLaunch() {
        synchronized (this) {
            if (state != State.WAITING || !node.isClosed()) {
                return state == State.RUNNING || state == State.RESTARTING;
            }
            withdrawWaitingLaunch();
        }
        finish(notLaunched()); // unless its refused launch did just now
        return false;
    }

    /** Where this process is in its start, for the message of a timeout. */
    String startProgress() {
        LaunchAdmission.Ticket t = waiting;
        String wait = t == null ? null : node.launches().describeWait(t);
        if (wait != null) {
            return wait;
        }
        Incarnation inc = current;
        String progress = inc == null || state != State.RUNNING ? null : inc.startProgress(node.settings());
        return progress != null ? progress : "it is " + stateName();
    }

    // ---- exits and restarts ----

    private void exited(Incarnation inc) {
        if (inc.archiveWrite != null) {
            // before its exit is reported: a node that closes and ends its JVM right after join() must
            // not leave the archive unpublished and its lock taken (no child would ever write it again)
            if (inc.process.exitValue() > 128) {
                node.classDataSharing().abandoned(inc.archiveWrite); // killed: it may have been cut off mid-write
            } else {
                node.classDataSharing().written(inc.archiveWrite);
            }
        }
        node.launches().release(inc.ticket);
        inc.heartbeats.stop();
        Connection control = inc.connection;
        if (control != null && inc.process instanceof RemoteProcess r && r.lostStatus() != null) {
            control.close(); // its host is lost: nothing more will come, and a cut-off connection may never close by itself
        } else if (control != null) {
            // The exit status is decided from what the child said last (its replies, its exit notice): the
            // node reads its control connection to the end, which closes it, before it classifies the exit.
            try {
                control.closeFuture().get(CONNECTION_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("Control connection of process [{} {}] still open {} ms after its JVM exited; deciding its exit "
                        + "status without what it may still hold", name, inc.process.pid(), CONNECTION_DRAIN_MILLIS);
            }
        }
        ExitStatus status = classify(inc);
        lastStatus = status;
        partialResults.clear(); // read to its end: a batch it answered in part only is taken back by its pool
        Duration delay = restartDelay(status);
        if (delay == null) {
            log(inc, status, false);
            finish(status);
            return;
        }
        log(inc, status, true);
        synchronized (this) {
            state = State.RESTARTING;
            Association old = link;
            link = node.core().newLink(name);  // later messages wait for the next incarnation
            // closed before the asks are failed: an asker that took the old link and registers after
            // the scan below then finds it refusing its message, and fails at once
            old.close();
            node.incarnationDown(this, status, old); // fails the asks sent to this one, not those waiting for the next
        }
        scheduler.schedule(() -> restart(inc.number + 1, status), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart(int number, ExitStatus status) {
        if (state != State.RESTARTING) {
            return;
        }
        if (stopRequested || node.isClosed()) {
            finish(status);
            return;
        }
        restarts++;
        admitLaunch(number);
    }

    private ExitStatus classify(Incarnation inc) {
        if (inc.process instanceof RemoteProcess r && r.lostStatus() != null) {
            return r.lostStatus(); // no exit was observed: its host is lost (or out of reach), which is what happened
        }
        Settings s = node.settings();
        ExitStatus classified = new ExitClassifier(s.heartbeatTimeout(), s.terminateGracePeriod(), s.startTimeout())
                .classify(inc.observation(killRequested, terminateEscalated, stopRequested));
        if (classified.reason() == ExitStatus.Reason.STARTUP_FAILED && inc.connection == null) {
            // a JVM that refused an option: name the option, where it was set, and the JVM's own words
            String origin = s.config() != null && s.config().hasPath("procactor.process.jvm-options")
                    ? ConfigText.where(s.config().getValue("procactor.process.jvm-options").origin()) : null;
            Optional<String> refused = JvmOptionErrors.explain(classified.stderrTail(), s.jvmOptions(), origin, options.jvmOptions());
            if (refused.isPresent()) {
                return new ExitStatus(classified.code(), classified.signal(), classified.reason(),
                        classified.detail() + ": " + refused.get(), classified.stderrTail());
            }
        }
        ExitStatus status = classified;
        if (status.reason() == ExitStatus.Reason.STARTUP_FAILED) {
            // no main class, or no actor class: show the class path the child got and how to set it
            return MissingClassErrors.explain(java.util.stream.Stream.concat(java.util.stream.Stream.of(status.detail()),
                            status.stderrTail().stream()), launcher.classPath(options))
                    .map(why -> new ExitStatus(status.code(), status.signal(), status.reason(), status.detail() + "; " + why,
                            status.stderrTail()))
                    .orElse(status);
        }
        return status;
    }

    /** The backoff before the next incarnation, or null when this exit is final. */
    private synchronized Duration restartDelay(ExitStatus status) {
        return stopRequested || node.isClosed() ? null : restartPolicy.next(status);
    }

    private void finish(ExitStatus status) {
        Association old;
        synchronized (this) {
            if (state == State.EXITED) {
                return;
            }
            finalStatus = status;
            state = State.EXITED;
            old = link;
        }
        old.close();
        node.processDown(this, status);
        completeExit(status);
    }

    /**
     * Completes {@link #onExit()}, whose dependents (the user's callbacks among them) run on the
     * completing thread: never under this handle's lock, which a launch or a restart holds when it
     * finishes the process. A callback that waited there for a lock of the user's, held by a thread
     * that waits for this handle (in terminate(), say), would hang both, and with a restart on the
     * scheduler thread every timer of the node too. Such a completion goes to the executor.
     */
    /**
     * Completes {@link #onExit()} here, if the process has finished and its completion, handed to the
     * executor, has not run: the system's close() stops the executor, whose queued tasks may be dropped.
     */
    void completeExitIfPending() {
        ExitStatus s = state == State.EXITED ? finalStatus : null;
        if (s != null) {
            exit.complete(s);
        }
    }

    private void completeExit(ExitStatus status) {
        if (Thread.holdsLock(this)) {
            try {
                node.core().executor().execute(() -> exit.complete(status));
                return;
            } catch (RejectedExecutionException closing) {
                // the executor has stopped: complete here rather than never
            }
        }
        exit.complete(status);
    }

    private void log(Incarnation inc, ExitStatus status, boolean restarting) {
        String what = restarting ? "; restarting it" : "";
        if (status.isClean() && !restarting) {
            log.debug("Process [{} {}] exited: {}", name, inc.process.pid(), status);
        } else if (status.isClean() || stopRequested) {
            log.info("Process [{} {}] exited: {}{}", name, inc.process.pid(), status, what);
        } else {
            log.warn("Process [{} {}] exited: {}{}", name, inc.process.pid(), status, what);
        }
    }

    @Override
    public String toString() {
        Incarnation inc = current;
        return "ActorProcess[" + name + (inc == null ? "" : " pid " + inc.process.pid()) + ", "
                + state.name().toLowerCase(Locale.ROOT) + "]";
    }
}
