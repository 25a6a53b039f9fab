package io.procactor.internal;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.ExitStatus.Reason;
import io.procactor.Props;
import io.procactor.transport.Connection;
import io.procactor.transport.Endpoint;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's handle of one child JVM: launches it, hands it its bootstrap on stdin, reads its
 * output, and turns its exit into an {@link ExitStatus} from what was observed: the child's own
 * notice of why it exits, the node's own kill or terminate, or the OS exit status.
 * Thread-safe.
 */
final class ChildHandle implements ActorProcess {
    private static final Logger log = LoggerFactory.getLogger(ChildHandle.class);

    private enum State { NEW, STARTING, READY, EXITED }

    private final NodeRuntime node;
    private final String name;
    private final Props props;
    private final RefImpl ref;
    private final Endpoint listen;
    private final Link link;
    private final CompletableFuture<ExitStatus> exit;
    private volatile ExitStatus finalStatus;

    private volatile State state = State.NEW;
    private volatile Process process;
    private volatile Connection connection;
    private volatile String peerEndpoint;
    private volatile Protocol.Exiting notice;
    private volatile Protocol.Failure startFailure;
    private volatile boolean killRequested;
    private volatile boolean terminateRequested;
    private volatile boolean terminateEscalated;
    private volatile boolean startTimedOut;
    private OutputPump stdout;
    private OutputPump stderr;
    private ScheduledFuture<?> startTimer;

    ChildHandle(NodeRuntime node, String name, Props props, Endpoint listen) {
        this.node = node;
        this.name = name;
        this.props = props;
        this.listen = listen;
        this.ref = node.core().ref(name, name);
        this.link = new Link(name, node.core()::unsendable);
        this.exit = new RuntimeFuture<>(node.core().executor());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ActorRef ref() {
        return ref;
    }

    Link link() {
        return state == State.EXITED ? null : link;
    }

    Connection connection() {
        return connection;
    }

    String peerEndpoint() {
        return peerEndpoint;
    }

    boolean isReady() {
        return state == State.READY;
    }

    @Override
    public synchronized ActorProcess start() {
        if (state != State.NEW) {
            throw new IllegalStateException("process [" + name + "] was already started; a process can be started only once");
        }
        Settings s = node.settings();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(s.jvmOptions());
        cmd.add("-D" + ChildLogConfigurator.CHILD_PROPERTY + "=" + name);
        cmd.add("-Dio.netty.jfr.enabled=false"); // Netty's JFR probe costs a child ~100 classes at start
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        try {
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            state = State.EXITED;
            finalStatus = new ExitStatus(-1, 0, Reason.STARTUP_FAILED, "cannot start [" + cmd.get(0) + "]: " + e.getMessage(), List.of());
            exit.complete(finalStatus);
            throw new UncheckedIOException("cannot start process [" + name + "]: " + e.getMessage(), e);
        }
        state = State.STARTING;
        stdout = new OutputPump(process.getInputStream(), name, process.pid(), false, 0);
        stderr = new OutputPump(process.getErrorStream(), name, process.pid(), true, s.stderrTailLines());
        stdout.start();
        stderr.start();
        try {
            Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            new ChildBootstrap(name, node.systemName(), node.endpoint(), listen, node.credentials(),
                    node.core().pid(), s.childProperties()).writeTo(w);
            // stdin stays open: the child halts when it closes, i.e. when this JVM dies
        } catch (IOException e) {
            log.warn("Could not hand the bootstrap to process [{}]: {}", name, e.toString());
        }
        process.onExit().thenRun(this::exited);
        startTimer = node.core().scheduler().schedule(() -> {
            if (state == State.STARTING) {
                startTimedOut = true;
                log.error("Process [{} {}] did not connect within {} ms; killing it", name, process.pid(), s.startTimeout().toMillis());
                process.destroyForcibly();
            }
        }, s.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.debug("Started process [{} {}]", name, process.pid());
        return this;
    }

    /** The child connected and proved the token: create its actor, then flush what waited for it. */
    void connected(Connection c) {
        connection = c;
        c.send(new Protocol.SpawnActor(name, props.actorClass().getName(), new ArrayList<>(props.args())));
        link.attach(c);
    }

    void ready(String endpoint) {
        peerEndpoint = endpoint;
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        if (state == State.STARTING) {
            state = State.READY;
        }
    }

    void exiting(Protocol.Exiting n) {
        notice = n;
    }

    void actorFailedToStart(Protocol.Failure failure) {
        startFailure = failure;
    }

    @Override
    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("process [" + name + "] has no pid: it was not started; call start() first");
        }
        return p.pid();
    }

    @Override
    public boolean isAlive() {
        Process p = process;
        return p != null && !exit.isDone() && p.isAlive();
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
        Process p = process;
        if (p == null || exit.isDone()) {
            return;
        }
        terminateRequested = true;
        Connection c = connection;
        if (c != null && c.isOpen()) {
            c.send(new Protocol.Terminate("terminate() called on the node"));
        } else {
            p.destroy(); // not connected yet: SIGTERM
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

    @Override
    public void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            killRequested = true;
            p.destroyForcibly();
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

    private void exited() {
        Process p = process;
        List<String> tail = stderr.awaitTail(2000);
        stdout.awaitTail(2000);
        ExitStatus status = classify(p.exitValue(), tail);
        finalStatus = status;
        state = State.EXITED;
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        link.close();
        node.processExited(this, status);
        if (status.isClean()) {
            log.debug("Process [{} {}] exited: {}", name, p.pid(), status);
        } else {
            log.info("Process [{} {}] exited: {}", name, p.pid(), status);
        }
        exit.complete(status);
    }

    private ExitStatus classify(int value, List<String> tail) {
        int signal = value > 128 && value <= 128 + 64 ? value - 128 : 0;
        int code = signal > 0 ? -1 : value;
        Protocol.Exiting n = notice;
        if (n != null) {
            return new ExitStatus(value, 0, Reason.valueOf(n.reason()), n.detail(), tail);
        }
        if (killRequested) {
            return new ExitStatus(code, signal, Reason.KILLED, "killed on request (kill())", tail);
        }
        if (terminateEscalated) {
            return new ExitStatus(code, signal, Reason.TERMINATED, "did not exit within the grace period of "
                    + node.settings().terminateGracePeriod().toMillis() + " ms after terminate(); killed", tail);
        }
        if (startTimedOut) {
            return new ExitStatus(code, signal, Reason.STARTUP_FAILED, "did not connect within "
                    + node.settings().startTimeout().toMillis() + " ms; killed", tail);
        }
        if (tail.stream().anyMatch(l -> l.contains("OutOfMemoryError"))) {
            return new ExitStatus(code, signal, Reason.OUT_OF_MEMORY, "ran out of memory", tail);
        }
        if (signal == 9) {
            return new ExitStatus(code, signal, Reason.KILLED, "killed by SIGKILL from outside procactor", tail);
        }
        if (signal == 15) {
            return new ExitStatus(code, signal, terminateRequested ? Reason.TERMINATED : Reason.TERMINATED,
                    terminateRequested ? "terminated on request" : "SIGTERM from outside procactor", tail);
        }
        if (signal > 0) {
            return new ExitStatus(code, signal, Reason.CRASHED, "died of signal " + signal, tail);
        }
        if (connection == null) {
            return new ExitStatus(code, 0, Reason.STARTUP_FAILED, "exited with code " + code + " before connecting to the node", tail);
        }
        if (code == 0) {
            return new ExitStatus(0, 0, Reason.NORMAL, "exited with code 0 (System.exit in actor code)", tail);
        }
        return new ExitStatus(code, 0, Reason.CRASHED, "exited with code " + code, tail);
    }

    @Override
    public String toString() {
        Process p = process;
        return "ActorProcess[" + name + (p == null ? "" : " pid " + p.pid()) + ", " + state.name().toLowerCase() + "]";
    }
}
