package io.procactor.internal.node;

import io.procactor.ProcessOptions;
import io.procactor.transport.Admission;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Hello;
import io.procactor.transport.Inbound;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm spare child JVMs ({@code procactor.child.spares}): JVMs started ahead with the default
 * process options, warmed up and idle (see {@code SpareWarmup}), each given to a process on demand
 * instead of a cold launch, and replaced in the background (their launches wait behind every
 * process's in {@link LaunchAdmission}). A spare connects to the node while idle, under its label
 * ({@value #LABEL_PREFIX}N, never a process name) and proving its own one-time secret, as a
 * launched child proves its own ({@link ChildAdmission}); it is given its process on that
 * connection ({@link #handOver}), so a process started from a spare opens no connection of its
 * own. Spares start with the system or at the first process that could use one
 * ({@code procactor.child.spares-start}). A spare is not a process: one that dies
 * while idle is logged and replaced after a backoff (after {@value #MAX_FAILURES} such deaths in a
 * row, no more are started). {@link #close} kills every spare and waits for them: none outlives
 * its node (nor its node's JVM: a spare halts when its stdin closes).
 *
 * <p>Thread-safe; state guarded by this, a spare's connection and owner by the spare. {@link #take}
 * and {@link #handOver} on the thread starting a process (under its handle's lock); launches on the
 * executor, or on the thread that released a start slot; warm-up notices on an output pump thread;
 * {@link #admit} and {@link #connected} on the node's I/O threads; deaths on the process reaper;
 * {@link #ready} on any thread (its futures complete on the executor); {@link #close} on the
 * closing thread.
 */
final class SparePool {
    private static final Logger log = LoggerFactory.getLogger(SparePool.class);
    static final int MAX_FAILURES = 5;
    /** Labels of spares start with this; '$' is never in a process name, so no spare is taken for a process. */
    static final String LABEL_PREFIX = "$spare-";
    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** The replacement of a taken spare starts when its process is up, or after this long at the latest. */
    static final long REFILL_AFTER_TAKE_MILLIS = 1000;

    /** One spare JVM; idle in the pool until taken. */
    static final class Spare {
        final String label;
        final LaunchAdmission.Ticket ticket;
        final Object key;
        /** Its one-time secret for the node, written on its stdin only. */
        final Credentials secret = Credentials.random();
        volatile ChildLauncher.Started started;
        volatile boolean warm;
        // guarded by this spare
        private Connection connection;
        private ChildHandle owner;
        private Consumer<Connection> onConnected;

        private Spare(String label, LaunchAdmission.Ticket ticket, Object key) {
            this.label = label;
            this.ticket = ticket;
            this.key = key;
        }

        /** The process it was given, or null while idle. */
        synchronized ChildHandle owner() {
            return owner;
        }

        synchronized boolean connected() {
            return connection != null;
        }
    }

    private final NodeRuntime node;
    private final ChildLauncher launcher;
    private final int target;
    private final java.util.function.Supplier<io.procactor.transport.Endpoint> rehearsals;
    private final java.util.function.Supplier<io.procactor.transport.Endpoint> listenEndpoints;
    /** Spares started and not yet connected, by label: whose connection the node may admit. */
    private final Map<String, Spare> unconnected = new ConcurrentHashMap<>();
    private final AtomicInteger labels = new AtomicInteger();
    private final ArrayDeque<Spare> idle = new ArrayDeque<>();
    /** Spares launches took, then killed; they may still be exiting. */
    private final java.util.Set<Process> discarded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int pending;        // launches requested, not finished
    private int launching;      // launches running now (close waits for them)
    private int failures;       // spares in a row that died before they were used
    private long notBeforeNanos; // backoff after a death: no launch before
    private boolean started;
    private boolean closed;
    /** Futures of {@link #ready} waiting for every spare to be warm; completed on the executor. */
    private final List<CompletableFuture<Void>> readyWaiters = new ArrayList<>();

    /**
     * @param rehearsals      where each spare may listen while it warms up (a new endpoint per call)
     * @param listenEndpoints where each spare listens for its peers (a new endpoint per call)
     */
    SparePool(NodeRuntime node, ChildLauncher launcher, int target,
              java.util.function.Supplier<io.procactor.transport.Endpoint> rehearsals,
              java.util.function.Supplier<io.procactor.transport.Endpoint> listenEndpoints) {
        this.node = node;
        this.rehearsals = rehearsals;
        this.listenEndpoints = listenEndpoints;
        this.launcher = launcher;
        this.target = target;
    }

    /** Starts the spares now (spares-start = system-start); otherwise the first {@link #take} that could use one does. */
    synchronized void start() {
        started = true;
        refill();
    }

    /**
     * A spare for a process whose JVM has {@code key} ({@link ChildLauncher#compatibilityKey}), taken
     * out of the pool (and replaced), or null: none is idle, or the process needs another JVM than a
     * spare's, or spares are off.
     */
    Spare take(Object key) {
        if (target == 0) {
            return null;
        }
        synchronized (this) {
            if (closed) {
                return null;
            }
            if (!started) {
                if (key.equals(launcher.compatibilityKey(ProcessOptions.defaults()))) {
                    start(); // this process starts cold; the next one can have a spare
                }
                return null;
            }
            Spare pick = null;
            for (Spare s : idle) { // a warm one, else one still warming (its head start still beats a cold launch)
                if (s.key.equals(key) && s.started.process().isAlive() && (pick == null || rank(s) > rank(pick))) {
                    pick = s;
                }
            }
            if (pick != null) {
                idle.remove(pick);
                // not now: a JVM starting beside the hand-over would take the cores it needs (measured: a
                // message node -> spare took 4-5 ms instead of well under 1); see handedOver
                node.core().scheduler().schedule(this::handedOver, REFILL_AFTER_TAKE_MILLIS, TimeUnit.MILLISECONDS);
            }
            return pick;
        }
    }

    /**
     * Completes (on the executor) once all {@code target} spares are idle, connected and warm: at
     * once when spares are off. Starts them if they were to start at the first process. Fails when
     * no more spares are started (too many died idle) or the system closes first.
     */
    CompletableFuture<Void> ready() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (target == 0) {
            f.complete(null);
            return f;
        }
        synchronized (this) {
            String never = neverReady();
            if (never != null) {
                f.completeExceptionally(new IllegalStateException(never));
                return f;
            }
            readyWaiters.add(f);
            if (!started) {
                start();
            }
        }
        checkReady();
        return f;
    }

    // guarded by this: why ready() can never complete, or null
    private String neverReady() {
        if (closed) {
            return "actor system [" + node.systemName() + "] is closed: it keeps no spares";
        }
        if (failures >= MAX_FAILURES) {
            return failures + " spare child JVMs in a row died before they were used: system [" + node.systemName()
                    + "] starts no more (procactor.child.spares); see its log for why they exited";
        }
        return null;
    }

    /** Completes the futures of {@link #ready} when every spare is warm, or fails them when none will be. */
    private void checkReady() {
        List<CompletableFuture<Void>> due;
        String never;
        synchronized (this) {
            if (readyWaiters.isEmpty()) {
                return;
            }
            never = neverReady();
            if (never == null && (idle.size() < target || warmCount() < target)) {
                return;
            }
            due = new ArrayList<>(readyWaiters);
            readyWaiters.clear();
        }
        // never on the I/O or output-pump thread that saw the last spare warm up: callers may chain anything
        for (CompletableFuture<Void> f : due) {
            try {
                node.core().executor().execute(() -> {
                    if (never == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(new IllegalStateException(never));
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                f.completeExceptionally(new IllegalStateException("actor system [" + node.systemName() + "] is closed"));
            }
        }
    }

    /**
     * A spare's process is up (or {@value #REFILL_AFTER_TAKE_MILLIS} ms passed since it was taken):
     * start its replacement.
     */
    synchronized void handedOver() {
        refill();
    }

    private static int rank(Spare s) {
        return (s.warm ? 2 : 0) + (s.connected() ? 1 : 0);
    }

    /**
     * Gives taken {@code spare} to {@code owner}: {@code onConnected} runs with the spare's
     * connection, now if it is connected, else (on the I/O thread) when it connects. Nothing has
     * been sent on that connection before; what {@code onConnected} sends first tells the spare its process.
     */
    void handOver(Spare spare, ChildHandle owner, Consumer<Connection> onConnected) {
        Connection c;
        synchronized (spare) {
            spare.owner = owner;
            c = spare.connection;
            if (c == null) {
                spare.onConnected = onConnected;
                return;
            }
        }
        onConnected.accept(c);
    }

    /** Whether {@code name}, stated in a HELLO, is a spare's label. */
    static boolean isLabel(String name) {
        return name.startsWith(LABEL_PREFIX);
    }

    /**
     * Whether to admit the connection of a spare saying {@code hello}: a spare this pool started and
     * that has not connected yet, proving its secret and its pid as {@link ChildAdmission} asks of
     * a launched child. {@code acceptor} takes an admitted spare's connection.
     */
    Admission admit(Hello hello, java.util.function.BiFunction<Spare, Connection, Inbound> acceptor) {
        Spare s = unconnected.get(hello.peer().name());
        ChildLauncher.Started started = s == null ? null : s.started;
        if (started == null || !started.process().isAlive()) {
            return Admission.refuse("not a spare this node is starting");
        }
        String refusal = ChildAdmission.refusal(s.label, s.secret, started.process().pid(), hello);
        if (refusal != null || unconnected.remove(s.label) == null) { // its secret is spent once admitted
            return Admission.refuse(refusal != null ? refusal : "spare [" + s.label + "] is connected already");
        }
        return Admission.accept(c -> {
            Inbound inbound = acceptor.apply(s, c);
            connected(s, c);
            return inbound;
        });
    }

    // on the connection's I/O thread, before anything it sends is read
    private void connected(Spare spare, Connection c) {
        Consumer<Connection> handOver;
        synchronized (spare) {
            spare.connection = c;
            handOver = spare.onConnected;
            spare.onConnected = null;
        }
        if (handOver != null) {
            handOver.accept(c); // taken while it was connecting
        } else {
            checkReady();
        }
    }

    /** The connection of {@code spare} closed while it was idle: the spare is useless; it dies and is replaced. */
    void idleConnectionLost(Spare spare) {
        spare.started.process().destroyForcibly();
    }

    /** A taken spare that was not used after all (its process was killed before it launched). */
    void discard(Spare spare) {
        Process p = spare.started.process();
        p.destroyForcibly();
        node.launches().release(spare.ticket);
        // close() no longer counts this spare among its idle ones (a launch took it): it waits for it
        // here, later (awaitDiscarded), not its caller, who may hold a process's or a pool's lock
        discarded.add(p);
        ProcessExits.of(p).thenRun(() -> discarded.remove(p));
    }

    /** Waits for the spares {@link #discard discarded} so far to exit: no spare outlives the node's close(). */
    void awaitDiscarded() {
        for (Process p : List.copyOf(discarded)) {
            try {
                ProcessExits.of(p).get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("A spare child JVM (pid {}) did not exit within 5 s of being killed: {}", p.pid(), e.toString());
            }
        }
    }

    /** Idle spares that are warm, for tests and measurements. */
    synchronized int warmCount() {
        return (int) idle.stream().filter(s -> s.warm && s.connected() && s.started.process().isAlive()).count();
    }

    /** Pids of the idle spares, for tests and measurements. */
    synchronized List<Long> pids() {
        return idle.stream().map(s -> s.started.process().pid()).toList();
    }

    // guarded by this
    private void refill() {
        if (closed || !started || failures >= MAX_FAILURES || System.nanoTime() < notBeforeNanos) {
            return;
        }
        while (idle.size() + pending < target) {
            pending++;
            // never on the thread of a spawnProcess call: forking a JVM takes milliseconds
            node.core().executor().execute(() -> node.launches().requestInBackground(this::launch));
        }
    }

    private void launch(LaunchAdmission.Ticket ticket) {
        synchronized (this) {
            if (closed) {
                pending--;
                node.launches().release(ticket);
                return;
            }
            launching++;
        }
        Spare spare = new Spare(LABEL_PREFIX + labels.incrementAndGet(), ticket,
                launcher.compatibilityKey(ProcessOptions.defaults()));
        try {
            unconnected.put(spare.label, spare);
            launcher.startSpare(spare.label, rehearsals.get(), listenEndpoints.get(), spare.secret, () -> warm(spare),
                    started -> spare.started = started);
        } catch (java.io.IOException | RuntimeException e) {
            unconnected.remove(spare.label);
            node.launches().release(ticket);
            log.warn("Could not start a spare child JVM: {}", e.toString());
            synchronized (this) {
                pending--;
                launching--;
                died();
                notifyAll();
            }
            return;
        }
        Process process = spare.started.process();
        boolean keep;
        synchronized (this) {
            pending--;
            keep = !closed;
            if (keep) {
                idle.add(spare);
            }
        }
        if (keep) {
            ProcessExits.of(process).thenRun(() -> exited(spare));
            checkReady(); // in case it warmed up and connected before it was counted idle (a launcher preempted that long)
        } else {
            process.destroyForcibly();
            ProcessExits.of(process).join();
            node.launches().release(ticket);
        }
        synchronized (this) {
            launching--;
            notifyAll();
        }
        log.debug("Started spare child JVM [{} {}]", spare.label, process.pid());
    }

    private void warm(Spare spare) {
        spare.warm = true;
        node.launches().release(spare.ticket); // its start is over: the slot goes to the next JVM
        synchronized (this) {
            failures = 0;
        }
        checkReady();
    }

    private void exited(Spare spare) {
        unconnected.remove(spare.label);
        node.launches().release(spare.ticket);
        synchronized (this) {
            if (!idle.remove(spare) || closed) {
                return; // taken (its process's business now) or killed by close()
            }
        }
        Process p = spare.started.process();
        log.warn("Spare child JVM [{} {}] exited while idle with code {}{}; replacing it", spare.label, p.pid(), p.exitValue(),
                tail(spare));
        synchronized (this) {
            died();
        }
    }

    private static String tail(Spare spare) {
        List<String> lines = spare.started.stderr().awaitTail(200);
        return lines.isEmpty() ? "" : ": " + String.join(" | ", lines);
    }

    // guarded by this
    private void died() {
        failures++;
        if (failures >= MAX_FAILURES) {
            log.warn("{} spare child JVMs in a row died before they were used: no more spares for system [{}] "
                    + "(procactor.child.spares); processes start cold JVMs", failures, node.systemName());
            try {
                node.core().executor().execute(this::checkReady); // not under this lock: it fails those waiting for spares
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the system is closing: close() fails them
            }
            return;
        }
        long backoff = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (failures - 1));
        notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        node.core().scheduler().schedule(() -> {
            synchronized (this) {
                refill();
            }
        }, backoff + 1, TimeUnit.MILLISECONDS);
    }

    /** Kills every spare and returns once they have all exited (and no launch is under way). */
    void close() {
        List<Spare> spares;
        synchronized (this) {
            closed = true;
            spares = new ArrayList<>(idle);
            idle.clear();
        }
        spares.forEach(s -> s.started.process().destroyForcibly());
        checkReady(); // fails those waiting for spares
        try {
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (launching > 0 && System.nanoTime() < deadline) {
                    wait(100);
                }
            }
            for (Spare s : spares) {
                ProcessExits.of(s.started.process()).get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("A spare child JVM did not exit within 5 s of being killed: {}", e.toString());
        }
    }
}
