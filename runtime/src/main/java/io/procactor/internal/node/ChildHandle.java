package io.procactor.internal.node;

import io.procactor.internal.core.Association;
import io.procactor.internal.wire.Protocol;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeFuture;
import io.procactor.internal.config.Settings;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.ExitStatus.Reason;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.transport.Connection;
import io.procactor.transport.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's handle of one child process: launches its JVM, hands it its bootstrap on stdin,
 * reads its output, watches its heartbeats, turns each exit into an {@link ExitStatus} from what
 * was observed (the child's own notice of why it exits, the node's own kill or terminate, or the
 * OS exit status), and respawns it per its {@link io.procactor.RestartPolicy}. Each JVM it runs
 * is one incarnation; name and refs stay the same across incarnations. Thread-safe.
 */
public final class ChildHandle implements ActorProcess {
    private static final Logger log = LoggerFactory.getLogger(ChildHandle.class);
    /**
     * How long after a child's JVM exited the node waits to have read its control connection to the
     * end. The kernel closes the child's end at once; a busy node may take seconds to read what is left.
     */
    private static final long CONNECTION_DRAIN_MILLIS = 30_000;

    /** WAITING: started, its first JVM waits for a start slot (a restart waits in RESTARTING). */
    private enum State { NEW, WAITING, RUNNING, RESTARTING, EXITED }

    /** One JVM run of this process. */
    private final class Incarnation {
        final int number;
        final Process process;
        final OutputPump stdout;
        final OutputPump stderr;
        volatile Connection connection;
        volatile String peerEndpoint;
        volatile boolean actorStarted;
        volatile Protocol.Exiting notice;
        volatile boolean startTimedOut;
        volatile boolean unresponsive;
        volatile long lastHeardNanos = System.nanoTime();
        final long startedMillis = System.currentTimeMillis();
        ScheduledFuture<?> startTimer;
        ScheduledFuture<?> heartbeat;

        final LaunchAdmission.Ticket ticket;

        Incarnation(int number, ChildLauncher.Launched launched, LaunchAdmission.Ticket ticket) {
            this.number = number;
            this.process = launched.process();
            this.stdout = launched.stdout();
            this.stderr = launched.stderr();
            this.ticket = ticket;
        }
    }

    private final NodeRuntime node;
    private final String name;
    private final Props props;
    private final ProcessOptions options;
    private final Supplier<Endpoint> listenEndpoints;
    private final RefImpl ref;
    private final CompletableFuture<ExitStatus> exit;
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private final CompletableFuture<ActorProcess> ready;

    private volatile State state = State.NEW;
    private volatile Incarnation current;
    private volatile Association link;
    private volatile ExitStatus finalStatus;
    private volatile boolean stopRequested;     // terminate() or kill(): never restart
    private volatile boolean killRequested;
    private volatile boolean terminateEscalated;
    private volatile int restarts;
    private volatile java.util.function.Consumer<Protocol.BatchResult> batchSink;
    /** The launch of the next incarnation while it waits for a start slot; null once launched. */
    private volatile LaunchAdmission.Ticket waiting;
    private volatile long waitingSinceNanos;
    private final ChildLauncher launcher;

    ChildHandle(NodeRuntime node, String name, Props props, ProcessOptions options, Supplier<Endpoint> listenEndpoints) {
        this.node = node;
        this.name = name;
        this.props = props;
        this.options = options;
        this.listenEndpoints = listenEndpoints;
        this.launcher = new ChildLauncher(node);
        this.ref = node.core().ref(name, name);
        this.link = node.core().newLink(name);
        this.exit = new RuntimeFuture<>(node.core().executor());
        this.ready = new RuntimeFuture<>(node.core().executor());
        exit.whenComplete((s, e) -> ready.completeExceptionally(new io.procactor.ActorTerminatedException(
                "process [" + name + "] exited before it was ready: " + s, s)));
    }

    @Override
    public CompletableFuture<ActorProcess> ready() {
        ReadyView view = new ReadyView();
        ready.whenComplete((p, e) -> {
            if (e != null) {
                view.completeExceptionally(e);
            } else {
                view.complete(p);
            }
        });
        return view;
    }

    /** {@link #ready()}'s future: a timed {@code get} that runs out says how far the start got. */
    private final class ReadyView extends CompletableFuture<ActorProcess> {
        @Override
        public java.util.concurrent.Executor defaultExecutor() {
            return node.core().executor();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new RuntimeFuture<>(node.core().executor());
        }

        @Override
        public ActorProcess get(long timeout, TimeUnit unit)
                throws InterruptedException, java.util.concurrent.ExecutionException, TimeoutException {
            try {
                return super.get(timeout, unit);
            } catch (TimeoutException e) {
                throw new TimeoutException("process [" + name + "] was not ready within " + unit.toMillis(timeout)
                        + " ms: " + startProgress());
            }
        }
    }

    /** Where this process is in its start, for a timeout's message. */
    String startProgress() {
        LaunchAdmission.Ticket t = waiting;
        int ahead = t == null ? -1 : node.launches().ahead(t);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSinceNanos);
        if (ahead >= 0) {
            return "its JVM is still waiting for a start slot (for " + waited + " ms, " + ahead + " launches ahead of it): at most "
                    + node.launches().maxStarting() + " JVMs start at once (procactor.process.max-starting); "
                    + "spawn fewer processes at once or raise the timeout";
        }
        Incarnation inc = current;
        if (inc == null || state == State.RESTARTING) {
            return "it is " + stateName();
        }
        long since = System.currentTimeMillis() - inc.startedMillis;
        if (inc.connection == null) {
            return "its JVM [" + inc.process.pid() + "] was launched " + since + " ms ago and has not connected yet (start-timeout "
                    + node.settings().startTimeout().toMillis() + " ms)";
        }
        if (inc.peerEndpoint == null) {
            return "its JVM [" + inc.process.pid() + "] connected and is still setting up (launched " + since + " ms ago)";
        }
        return inc.actorStarted ? "it is " + stateName()
                : "its actor's constructor or preStart has not returned yet (JVM [" + inc.process.pid() + "] launched " + since
                + " ms ago)";
    }

    @Override
    public ExitStatus join() throws InterruptedException {
        if (state == State.NEW) {
            throw new IllegalStateException("cannot join process [" + name + "]: it was not started; call start() first");
        }
        try {
            return exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ActorRef ref() {
        return ref;
    }

    /** Where messages for this process go; null once it has exited for good. */
    Association link() {
        return state == State.EXITED ? null : link;
    }

    Connection connection() {
        Incarnation i = current;
        return i == null ? null : i.connection;
    }

    String peerEndpoint() {
        Incarnation i = current;
        return i == null ? null : i.peerEndpoint;
    }

    boolean isReady() {
        Incarnation i = current;
        return state == State.RUNNING && i != null && i.peerEndpoint != null;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    /** For the admin endpoint: new, starting, running, restarting or exited. */
    String stateName() {
        State st = state;
        Incarnation inc = current;
        if (st == State.WAITING || st == State.RUNNING && (!isReady() || inc == null || !inc.actorStarted)) {
            return "starting"; // as ready(): until its actor was constructed and preStart returned
        }
        return st.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** When the current incarnation's JVM was started (epoch millis), or 0 if never. */
    long startedMillis() {
        Incarnation i = current;
        return i == null ? 0 : i.startedMillis;
    }

    @Override
    public synchronized ActorProcess start() {
        if (state != State.NEW) {
            throw new IllegalStateException("process [" + name + "] was already started; a process can be started only once");
        }
        state = State.WAITING;
        admitLaunch(1);
        if (state == State.EXITED) { // the launch ran at once, on this thread, and failed
            ExitStatus s = finalStatus;
            throw new IllegalStateException("cannot start process [" + name + "]: " + s.detail());
        }
        return this;
    }

    /** Launches incarnation {@code number} when a start slot is free: at once, or later on the executor. */
    private void admitLaunch(int number) {
        waitingSinceNanos = System.nanoTime();
        waiting = node.launches().request(t -> launch(number, t));
    }

    private synchronized void launch(int number, LaunchAdmission.Ticket ticket) {
        waiting = null;
        if (state == State.EXITED || (number > 1 && (stopRequested || node.isClosed()))) {
            node.launches().release(ticket); // terminated or killed while it waited its turn
            return;
        }
        ChildLauncher.Launched launched;
        try {
            launched = launcher.launch(name, options, listenEndpoints.get());
        } catch (IOException | RuntimeException e) {
            node.launches().release(ticket);
            log.error("Cannot start process [{}]: {}", name, e.toString());
            finish(new ExitStatus(-1, 0, Reason.STARTUP_FAILED, "cannot start [" + ChildLauncher.javaExecutable() + "]: "
                    + e.getMessage(), List.of()));
            return;
        }
        Process process = launched.process();
        Incarnation inc = new Incarnation(number, launched, ticket);
        current = inc;
        state = State.RUNNING;
        process.onExit().thenRun(() -> exited(inc));
        Settings s = node.settings();
        // counts from the launch: time spent waiting for a start slot is not held against the child
        inc.startTimer = node.core().scheduler().schedule(() -> {
            if (inc.connection == null && process.isAlive()) {
                inc.startTimedOut = true;
                log.error("Process [{} {}] did not connect within {} ms; killing it", name, process.pid(), s.startTimeout().toMillis());
                process.destroyForcibly();
            }
        }, s.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (stopRequested && killRequested) {
            process.destroyForcibly();
        }
        log.debug("Started process [{} {}] (incarnation {})", name, process.pid(), number);
    }

    /** The child connected and proved the token: create its actor, then flush what waited for it. */
    void connected(Connection c) {
        Incarnation inc = current;
        inc.connection = c;
        inc.lastHeardNanos = System.nanoTime();
        c.send(new Protocol.SpawnActor(name, props.actorClass().getName(), new ArrayList<>(props.args())));
        link.attach(c);
        if (stopRequested && !killRequested) {
            c.send(new Protocol.Terminate("terminate() called before the process connected"));
        }
        Settings s = node.settings();
        long every = s.heartbeatInterval().toMillis();
        inc.heartbeat = node.core().scheduler().scheduleAtFixedRate(() -> heartbeat(inc), every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether {@code pid} is the JVM this handle is waiting for. */
    boolean expects(long pid) {
        Incarnation inc = current;
        return inc != null && inc.connection == null && inc.process.pid() == pid && inc.process.isAlive();
    }

    /** Who takes the pool results this process sends (its pool); set before it starts. */
    public void onBatchResult(java.util.function.Consumer<Protocol.BatchResult> sink) {
        batchSink = sink;
    }

    /** Called on the connection's I/O thread. */
    void batchResult(Protocol.BatchResult result) {
        java.util.function.Consumer<Protocol.BatchResult> sink = batchSink;
        if (sink != null) {
            sink.accept(result);
        } else {
            log.warn("Process [{}] sent a pool result but belongs to no pool; dropped", name);
        }
    }

    /** Any message from the child proves it is alive. */
    void heard() {
        Incarnation inc = current;
        if (inc != null) {
            inc.lastHeardNanos = System.nanoTime();
        }
    }

    private void heartbeat(Incarnation inc) {
        Connection c = inc.connection;
        if (c == null || !inc.process.isAlive()) {
            return;
        }
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inc.lastHeardNanos);
        long timeout = node.settings().heartbeatTimeout().toMillis();
        if (silentMillis > timeout) {
            if (!inc.unresponsive) {
                inc.unresponsive = true;
                log.error("Process [{} {}] sent nothing for {} ms (heartbeat-timeout {} ms): unresponsive; killing it",
                        name, inc.process.pid(), silentMillis, timeout);
                inc.process.destroyForcibly();
            }
            return;
        }
        c.send(Protocol.Heartbeat.INSTANCE);
    }

    /**
     * The child listens for peers at {@code endpoint}; sent as soon as it connected, so peers reach it
     * directly even while its actor's preStart waits on them (hence not the same event as ready()).
     */
    void listening(String endpoint) {
        Incarnation inc = current;
        inc.peerEndpoint = endpoint;
        if (inc.startTimer != null) {
            inc.startTimer.cancel(false);
        }
        node.launches().release(inc.ticket); // started: the next JVM may launch
        readyIfUp(inc);
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
        }
    }

    void exiting(Protocol.Exiting n) {
        Incarnation inc = current;
        if (inc != null) {
            inc.notice = n;
        }
    }

    @Override
    public long pid() {
        Incarnation inc = current;
        if (inc == null && state != State.NEW) {
            throw new IllegalStateException("process [" + name + "] has no pid yet: " + startProgress());
        }
        if (inc == null) {
            throw new IllegalStateException("process [" + name + "] has no pid: it was not started; call start() first");
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
    public boolean join(Duration timeout) throws InterruptedException {
        if (state == State.NEW) {
            throw new IllegalStateException("cannot join process [" + name + "]: it was not started; call start() first");
        }
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    @Override
    public void terminate() {
        if (exit.isDone() || state == State.NEW) {
            return;
        }
        stopRequested = true;
        if (withdrawWaitingLaunch()) {
            finish(new ExitStatus(0, 0, Reason.TERMINATED, "terminated before its JVM was launched (it was waiting for a "
                    + "start slot, procactor.process.max-starting)", List.of()));
            return;
        }
        Incarnation inc = current;
        if (inc == null) {
            return; // being launched right now: launch() sees stopRequested once the JVM connects
        }
        Process p = inc.process;
        Connection c = inc.connection;
        if (c != null && c.isOpen()) {
            c.send(new Protocol.Terminate("terminate() called on the node"));
        } else if (p.isAlive()) {
            // not connected yet: connected() sends Terminate; the grace period below still applies
        } else if (state == State.RESTARTING) {
            finish(lastStatusOrTerminated());
            return;
        }
        long grace = node.settings().terminateGracePeriod().toMillis();
        node.core().scheduler().schedule(() -> {
            if (p.isAlive()) {
                terminateEscalated = true;
                log.warn("Process [{} {}] did not exit within the grace period of {} ms; killing it", name, p.pid(), grace);
                p.destroyForcibly();
            }
        }, grace, TimeUnit.MILLISECONDS);
    }

    /** Whether the next incarnation was still waiting for a start slot; it never launches now. */
    private boolean withdrawWaitingLaunch() {
        LaunchAdmission.Ticket t = waiting;
        return t != null && node.launches().cancel(t);
    }

    private ExitStatus lastStatusOrTerminated() {
        return new ExitStatus(0, 0, Reason.TERMINATED, "terminated while waiting to restart", List.of());
    }

    @Override
    public void kill() {
        if (exit.isDone() || state == State.NEW) {
            return;
        }
        stopRequested = true;
        killRequested = true;
        if (withdrawWaitingLaunch()) {
            finish(new ExitStatus(-1, 9, Reason.KILLED, "killed before its JVM was launched (it was waiting for a start slot)",
                    List.of()));
            return;
        }
        Incarnation inc = current;
        if (inc == null) {
            return; // being launched right now: launch() kills the JVM it starts
        }
        if (inc.process.isAlive()) {
            inc.process.destroyForcibly();
        } else if (state == State.RESTARTING) {
            finish(new ExitStatus(-1, 9, Reason.KILLED, "killed while waiting to restart", List.of()));
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

    private void exited(Incarnation inc) {
        node.launches().release(inc.ticket);
        Connection control = inc.connection;
        if (control != null) {
            // The exit status is decided from what the child said last (its replies, its exit notice): the
            // node reads its control connection to the end, which closes it, before it classifies the exit.
            try {
                control.closeFuture().get(CONNECTION_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("Control connection of process [{} {}] still open {} ms after its JVM exited; deciding its exit "
                        + "status without what it may still hold", name, inc.process.pid(), CONNECTION_DRAIN_MILLIS);
            }
        }
        List<String> tail = inc.stderr.awaitTail(2000);
        List<String> out = inc.stdout.awaitTail(2000);
        if (tail.isEmpty()) {
            tail = out; // a JVM that cannot start (bad option, too small a heap) says why on stdout
        }
        cancel(inc.startTimer);
        cancel(inc.heartbeat);
        ExitStatus status = classify(inc, inc.process.exitValue(), tail);
        Duration delay = restartDelay(status);
        if (delay == null) {
            log(inc, status, false);
            finish(status);
            return;
        }
        log(inc, status, true);
        Association old;
        synchronized (this) {
            state = State.RESTARTING;
            old = link;
            link = node.core().newLink(name);  // later messages wait for the next incarnation
            node.processDown(this, status, true);   // fails asks that were in flight to this one
        }
        old.close();
        node.core().scheduler().schedule(() -> {
            synchronized (this) {
                if (state != State.RESTARTING || stopRequested || node.isClosed()) {
                    if (state == State.RESTARTING) {
                        finish(status);
                    }
                    return;
                }
                restarts++;
                admitLaunch(inc.number + 1);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The backoff before the next incarnation, or null when this exit is final. */
    private synchronized Duration restartDelay(ExitStatus status) {
        io.procactor.RestartPolicy policy = options.restart();
        if (stopRequested || node.isClosed() || !policy.restartsAfter(status)) {
            return null;
        }
        long now = System.nanoTime();
        restartTimes.addLast(now);
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() > policy.within().toNanos()) {
            restartTimes.removeFirst();
        }
        if (restartTimes.size() > policy.maxRestarts()) {
            log.error("Process [{}] exceeded its restart intensity ({} restarts within {} ms); giving up: it stays down",
                    name, policy.maxRestarts(), policy.within().toMillis());
            return null;
        }
        Duration base = policy.backoff(restartTimes.size());
        long jitter = (long) (base.toMillis() * policy.jitter() * ThreadLocalRandom.current().nextDouble());
        return base.plusMillis(jitter);
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
        node.processDown(this, status, false);
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

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private ExitStatus classify(Incarnation inc, int value, List<String> tail) {
        int signal = value > 128 && value <= 128 + 64 ? value - 128 : 0;
        int code = signal > 0 ? -1 : value;
        Protocol.Exiting n = inc.notice;
        if (n != null) {
            // the notice says why; the OS says how (a SIGTERM can end the JVM after the notice was sent)
            return new ExitStatus(code, signal, Reason.valueOf(n.reason()), n.detail(), tail);
        }
        if (inc.unresponsive) {
            return new ExitStatus(code, signal, Reason.UNRESPONSIVE, "sent no heartbeat within "
                    + node.settings().heartbeatTimeout().toMillis() + " ms; killed", tail);
        }
        if (killRequested) {
            return new ExitStatus(code, signal, Reason.KILLED, "killed on request (kill())", tail);
        }
        if (terminateEscalated) {
            return new ExitStatus(code, signal, Reason.TERMINATED, "did not exit within the grace period of "
                    + node.settings().terminateGracePeriod().toMillis() + " ms after terminate(); killed", tail);
        }
        if (inc.startTimedOut) {
            return new ExitStatus(code, signal, Reason.STARTUP_FAILED, "did not connect within "
                    + node.settings().startTimeout().toMillis() + " ms; killed", tail);
        }
        if (value == 3 && tail.stream().anyMatch(l -> l.contains("OutOfMemoryError"))
                || signal == 0 && tail.stream().anyMatch(l -> l.contains("java.lang.OutOfMemoryError"))) {
            return new ExitStatus(code, signal, Reason.OUT_OF_MEMORY, "ran out of memory: " + oomLine(tail), tail);
        }
        if (signal == 9) {
            return new ExitStatus(code, signal, Reason.KILLED, "killed by SIGKILL from outside procactor", tail);
        }
        if (signal == 15) {
            return new ExitStatus(code, signal, Reason.TERMINATED,
                    stopRequested ? "terminated on request" : "SIGTERM from outside procactor", tail);
        }
        if (signal > 0) {
            return new ExitStatus(code, signal, Reason.CRASHED, "died of signal " + signal, tail);
        }
        if (code == ExitStatus.PARENT_LOST_CODE) {
            return new ExitStatus(code, 0, Reason.PARENT_LOST, "lost its connection to the node", tail);
        }
        if (inc.connection == null) {
            return new ExitStatus(code, 0, Reason.STARTUP_FAILED, "exited with code " + code + " before connecting to the node", tail);
        }
        if (code == ExitStatus.STARTUP_FAILED_CODE && inc.peerEndpoint == null) {
            // the node accepts a child before the child checks the WELCOME, so a failed handshake leaves no notice
            return new ExitStatus(code, 0, Reason.STARTUP_FAILED, "connected to the node, then exited with code " + code
                    + " before it was ready: its handshake or set-up failed (the stderr tail says why)", tail);
        }
        if (code == 0) {
            return new ExitStatus(0, 0, Reason.NORMAL, "exited with code 0 (System.exit in actor code)", tail);
        }
        return new ExitStatus(code, 0, Reason.CRASHED, "exited with code " + code, tail);
    }

    private static String oomLine(List<String> tail) {
        return tail.stream().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse("OutOfMemoryError").trim();
    }

    @Override
    public String toString() {
        Incarnation inc = current;
        return "ActorProcess[" + name + (inc == null ? "" : " pid " + inc.process.pid()) + ", " + state.name().toLowerCase() + "]";
    }
}
