package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.internal.config.OverflowPolicy;
import io.procactor.internal.config.Settings;
import io.procactor.ActorCreationException;
import io.procactor.ActorRef;
import io.procactor.ActorTerminatedException;
import io.procactor.MessageSerializationException;
import io.procactor.Props;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every procactor JVM has, node or child: its actors, its asks, its executor and scheduler,
 * and the routing of a message to a local actor or to the link of another process. Thread-safe.
 */
public final class ProcessCore {
    private static final Logger log = LoggerFactory.getLogger(ProcessCore.class);

    private final String systemName;
    private final String processName;
    private final long pid;
    private final long parentPid;
    private final Settings settings;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final AskTable asks;
    private final Map<String, ActorCell> actors = new ConcurrentHashMap<>();
    private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
    private final DeadLetters deadLetters;
    /** Remote actors watched from here: process -> target -> local watchers. Guarded by itself. */
    private final Map<String, Map<RefImpl, java.util.Set<RefImpl>>> remoteWatches = new java.util.HashMap<>();
    private final Supplier<Registrations> registrations;
    private volatile Routes routes;
    private volatile boolean jvmExiting;

    public ProcessCore(String systemName, String processName, long parentPid, Settings settings,
                Supplier<Registrations> registrations) {
        this.systemName = systemName;
        this.processName = processName;
        this.pid = ProcessHandle.current().pid();
        this.parentPid = parentPid;
        this.settings = settings;
        this.registrations = registrations;
        this.deadLetters = new DeadLetters(settings.deadLetterLogsPerMinute());
        AtomicInteger n = new AtomicInteger();
        this.executor = new ForkJoinPool(settings.effectiveDispatcherThreads(), pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("procactor-" + processName + "-dispatcher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (t, e) -> log.error("Uncaught exception on {}", t.getName(), e), true);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "procactor-" + processName + "-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.asks = new AskTable(executor, scheduler, p -> exitStatusOf(p) == null);
    }

    public void routes(Routes routes) {
        this.routes = routes;
    }

    public String systemName() {
        return systemName;
    }

    public String processName() {
        return processName;
    }

    public long pid() {
        return pid;
    }

    public long parentPid() {
        return parentPid;
    }

    Settings settings() {
        return settings;
    }

    public ExecutorService executor() {
        return executor;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    AskTable asks() {
        return asks;
    }

    /**
     * A link to {@code process} whose senders wait (up to the mailbox block-timeout) while it is full;
     * with overflow = block, also while a mailbox's worth of messages waits for its connection.
     */
    public Association newLink(String process) {
        boolean block = settings.overflow() == OverflowPolicy.BLOCK;
        return new Association(process, this::unsendable, settings.blockTimeout().toMillis(),
                block ? settings.mailboxCapacity() : Integer.MAX_VALUE);
    }

    public RefImpl ref(String process, String name) {
        return new RefImpl(this, process, name);
    }

    public int actorCount() {
        return actors.size();
    }

    /** Every actor of this process (top-level and children) with its mailbox depth, by name; for the admin endpoint. */
    public Map<String, Integer> mailboxDepths() {
        Map<String, Integer> depths = new java.util.TreeMap<>();
        actors.forEach((name, cell) -> depths.put(name, cell.queued()));
        return depths;
    }

    long deadLetterCount() {
        return deadLetters.total();
    }

    public Map<String, Long> deadLetterCounts() {
        return deadLetters.counts();
    }

    /** No more dead-letter logging: the system is shutting down. */
    public void quietDeadLetters() {
        deadLetters.quiet();
    }

    private io.procactor.ExitStatus exitStatusOf(String process) {
        Routes r = routes;
        return r == null ? null : r.exitStatusOf(process).orElse(null);
    }

    /**
     * Something other than an actor that receives messages addressed to a name in this process
     * (a pool's dispatcher). Called on I/O or sender threads: must be quick and must not block.
     */
    public interface Receiver {
        void receive(ActorRef sender, Object body);
    }

    public RefImpl registerReceiver(String name, Receiver receiver) {
        if (receivers.putIfAbsent(name, receiver) != null || actors.containsKey(name)) {
            throw new IllegalArgumentException("the name [" + name + "] is already taken in process [" + processName + "]");
        }
        return ref(processName, name);
    }

    public void unregisterReceiver(String name) {
        receivers.remove(name);
    }

    // ---- actors of this process ----

    /** Creates a local actor; its constructor and preStart run on the executor before its first message. */
    public RefImpl spawn(Props props, String name) {
        return spawn(props, name, null);
    }

    /** Creates an actor; {@code parent} (null for a top-level actor) supervises it. */
    public RefImpl spawn(Props props, String name, ActorCell parent) {
        Names.check(name, "actor");
        ActorCell cell = new ActorCell(this, name, parent, props.constructor(), props.args().toArray());
        if (actors.putIfAbsent(name, cell) != null) {
            throw new ActorCreationException("an actor named [" + name + "] already exists in process [" + processName
                    + "]; choose another name");
        }
        cell.start();
        return (RefImpl) cell.self();
    }

    /** A child's top-level actor is the one its node spawned: the node's ready() waits for it. */
    void actorStarted(ActorCell cell) {
        Routes r = routes;
        if (r != null && cell.parent() == null) {
            r.actorStarted(cell.name());
        }
    }

    void actorStopped(ActorCell cell, Protocol.Failure startFailure) {
        actors.remove(cell.name(), cell);
        synchronized (actors) {
            actors.notifyAll();
        }
        Routes r = routes;
        if (r != null) {
            r.actorStopped(cell.name(), startFailure);
        }
    }

    /** Waits until no actor is left or the timeout elapses; returns whether none is left. */
    public boolean awaitNoActors(Duration timeout) {
        return awaitNoActors(timeout, false);
    }

    /**
     * Like {@link #awaitNoActors(Duration)}; with {@code butInSystemExit}, actors whose thread is
     * blocked in System.exit do not count: they never stop.
     */
    public boolean awaitNoActors(Duration timeout, boolean butInSystemExit) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (actors) {
            while (!actors.isEmpty() && !(butInSystemExit && actors.values().stream().allMatch(ActorCell::isInSystemExit))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    // with butInSystemExit, look again now and then: another actor may call System.exit meanwhile
                    actors.wait(butInSystemExit ? Math.min(left, 50) : left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The actors no other actor created: the guardian's children. */
    List<ActorCell> topLevelCells() {
        List<ActorCell> top = new java.util.ArrayList<>();
        for (ActorCell c : actors.values()) {
            if (c.parent() == null) {
                top.add(c);
            }
        }
        return top;
    }

    /** A top-level actor escalated a failure past its guardian. */
    void escalated(RefImpl actor, Throwable cause) {
        Routes r = routes;
        if (r != null) {
            r.escalated(actor, cause);
        }
    }

    /**
     * This JVM is exiting on its own (System.exit, SIGTERM): from now on an actor that stops does
     * not tell its watchers. That stop is its process ending, with an exit status only the node
     * learns (from the OS); the node's ProcessDown reports it to every watcher elsewhere, once.
     */
    public void jvmExiting() {
        jvmExiting = true;
    }

    public boolean isJvmExiting() {
        return jvmExiting;
    }

    /** Asks every actor to stop after its current message. */
    public void stopAllActors() {
        actors.values().forEach(ActorCell::requestStop);
    }

    // ---- sending ----

    void send(RefImpl target, Object message, ActorRef sender) {
        Objects.requireNonNull(target, "target");
        if (target.processName().equals(processName)) {
            deliverLocal(target, sender, message);
            return;
        }
        Association link = linkTo(target.processName());
        if (link == null) {
            io.procactor.ExitStatus status = exitStatusOf(target.processName());
            if (status != null) {
                deadLetter(target, sender, message, DeadLetters.PROCESS_EXITED, "its process exited: " + status);
            } else {
                deadLetter(target, sender, message, DeadLetters.NO_SUCH_PROCESS,
                        "no process named [" + target.processName() + "] in system [" + systemName + "]");
            }
            return;
        }
        Protocol.Envelope envelope = new Protocol.Envelope(target, sender, message);
        if (link.connection() == null) {
            checkRegistered(message);
        }
        try {
            link.send(envelope);
        } catch (SerializationException e) {
            throw serializationError(e);
        }
    }

    /** The way to {@code process}, or null when there is none (no routes yet, or the process is gone). */
    private Association linkTo(String process) {
        Routes r = routes;
        return r == null ? null : r.linkTo(process).orElse(null);
    }

    /**
     * Sends a pool batch to the main actor of {@code process} without an envelope: the hot path of
     * every pool task carries no actor refs (their names cost more to encode and decode than a
     * small task itself). Returns false when there is no such process any more.
     *
     * @throws MessageSerializationException when an item cannot be encoded
     */
    public boolean sendBatch(String process, Protocol.Batch batch) {
        Association link = linkTo(process);
        if (link == null) {
            return false;
        }
        if (link.connection() == null) {
            for (Object item : batch.items()) { // waiting items are encoded later, where no caller hears of a failure
                checkRegistered(item);
            }
        }
        try {
            link.send(batch);
        } catch (SerializationException e) {
            throw serializationError(e);
        }
        return true;
    }

    <T> CompletableFuture<T> ask(RefImpl target, Object message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        RuntimeFuture<Object> future = new RuntimeFuture<>(executor);
        long id = asks.register(target, message, timeout, future);
        AskRef replyTo = new AskRef(this, processName, id);
        io.procactor.ExitStatus status = exitStatusOf(target.processName());
        if (status != null) {
            asks.fail(id, AskTable.terminated(target, message == null ? "null" : message.getClass().getName(), status));
        } else {
            try {
                send(target, message, replyTo);
            } catch (RuntimeException e) {
                asks.fail(id, e);
            }
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> typed = (CompletableFuture<T>) (CompletableFuture<?>) future;
        return typed;
    }

    /** A message for an actor of this process (from here or from another process). */
    public void deliverLocal(RefImpl target, ActorRef sender, Object body) {
        deliverLocal(target, sender, body, null);
    }

    /** Like {@link #deliverLocal(RefImpl, ActorRef, Object)}, for a message that arrived on {@code source}. */
    public void deliverLocal(RefImpl target, ActorRef sender, Object body, io.procactor.transport.Connection source) {
        if (target instanceof AskRef ask) {
            asks.reply(ask.id(), body);
            return;
        }
        String name = target.name();
        Receiver receiver = receivers.get(name);
        if (receiver != null) {
            receiver.receive(sender, body);
            return;
        }
        ActorCell cell = actors.get(name);
        if (cell == null) {
            deadLetter(target, sender, body, DeadLetters.NO_SUCH_ACTOR,
                    "no actor named [" + name + "] in process [" + processName + "]; it stopped or never existed");
        } else {
            cell.enqueue(sender, body, source);
        }
    }

    /** Counts and logs a message nobody will handle; an asker is told at once. */
    public void deadLetter(RefImpl target, ActorRef sender, Object body, String reason) {
        deadLetter(target, sender, body, reason, null);
    }

    public void deadLetter(RefImpl target, ActorRef sender, Object body, String reason, String detail) {
        String type = body == null ? "null" : body.getClass().getName();
        String path = target == null ? "(no recipient)" : target.path();
        if (sender instanceof AskRef s && !(body instanceof Protocol.Failure) && !(body instanceof Protocol.Undeliverable)) {
            s.tell(new Protocol.Undeliverable(path, detail != null ? detail : reason));
        }
        deadLetters.record(reason, type, path, detail);
    }

    /** A full mailbox refused a message: an asker fails at once, anything else is a dead letter. */
    void overflowed(RefImpl target, ActorRef sender, Object body, int capacity) {
        if (sender instanceof AskRef s) {
            s.tell(new Protocol.MailboxFull(target.path(), capacity));
        }
        deadLetters.record(DeadLetters.MAILBOX_FULL, body == null ? "null" : body.getClass().getName(), target.path(),
                "mailbox holds " + capacity + " messages");
    }

    /** A message that waited for a link could not be sent: fail its ask, else count it as a dead letter. */
    void unsendable(Object message, RuntimeException cause) {
        if (!(message instanceof Protocol.Envelope e)) {
            return;
        }
        RefImpl target = (RefImpl) e.target();
        String type = e.body() == null ? "null" : e.body().getClass().getName();
        RuntimeException error;
        if (cause instanceof SerializationException se) {
            error = serializationError(se);
        } else {
            io.procactor.ExitStatus status = exitStatusOf(target.processName());
            error = status != null ? AskTable.terminated(target, type, status)
                    : new ActorTerminatedException("Message of type [" + type + "] to [" + target.path() + "] was not sent: "
                    + cause.getMessage(), null);
        }
        if (e.sender() instanceof AskRef s && s.processName().equals(processName)) {
            asks.fail(s.id(), error);
        } else {
            deadLetter(target, e.sender(), e.body(), DeadLetters.NOT_SENT, error.getMessage());
        }
    }

    private void checkRegistered(Object message) {
        // String is one of Kryo's built-in classes (ids 0-9), which are not listed in the table
        if (message != null && !(message instanceof String) && registrations.get().byType(message.getClass()).isEmpty()) {
            throw serializationError(new SerializationException("class [" + message.getClass().getName()
                    + "] is not registered for serialization", message.getClass().getName(), null));
        }
    }

    static MessageSerializationException serializationError(SerializationException e) {
        String hint = e.getMessage().contains("max-frame-size") || e.className() == null ? ""
                : ". Register it with ActorSystem.builder(name).register(" + simple(e.className()) + ".class, ID) or in config: "
                + "procactor.serialization.registrations { \"" + e.className() + "\" = ID } (an ID of "
                + Registrations.FIRST_APPLICATION_ID + " or more, the same in every process)";
        return new MessageSerializationException(e.getMessage() + hint, e);
    }

    private static String simple(String className) {
        int dot = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return className.substring(dot + 1);
    }

    /** Fails asks waiting on {@code process}, which has exited, and tells watchers of its actors. */
    public void processDown(String process, io.procactor.ExitStatus status) {
        asks.processDown(process, status);
        Map<RefImpl, java.util.Set<RefImpl>> watched;
        synchronized (remoteWatches) {
            watched = remoteWatches.remove(process);
        }
        if (watched != null) {
            watched.forEach((target, watchers) -> watchers.forEach(w -> deliverTerminated(w, target, status)));
        }
    }

    // ---- death watch ----

    /** {@code watcher} (of this process) watches {@code target}; it gets Terminated exactly once. */
    void watch(RefImpl watcher, RefImpl target) {
        if (target.processName().equals(processName)) {
            ActorCell cell = actors.get(target.name());
            if (cell == null || !cell.addWatcher(watcher)) {
                deliverTerminated(watcher, target, ActorCell.STOPPED);
            }
            return;
        }
        io.procactor.ExitStatus down = exitStatusOf(target.processName());
        if (down != null) {
            deliverTerminated(watcher, target, down);
            return;
        }
        synchronized (remoteWatches) {
            remoteWatches.computeIfAbsent(target.processName(), p -> new java.util.HashMap<>())
                    .computeIfAbsent(target, t -> new java.util.HashSet<>()).add(watcher);
        }
        sendSystem(target.processName(), new Protocol.Watch(target, watcher));
    }

    void unwatch(RefImpl watcher, RefImpl target) {
        if (target.processName().equals(processName)) {
            ActorCell cell = actors.get(target.name());
            if (cell != null) {
                cell.removeWatcher(watcher);
            }
            return;
        }
        synchronized (remoteWatches) {
            Map<RefImpl, java.util.Set<RefImpl>> m = remoteWatches.get(target.processName());
            if (m == null || m.get(target) == null || !m.get(target).remove(watcher)) {
                return;
            }
        }
        sendSystem(target.processName(), new Protocol.Unwatch(target, watcher));
    }

    /** A watched actor of this process stopped: tell each watcher, here or in its process. */
    void notifyWatchers(RefImpl target, List<RefImpl> watchers, io.procactor.ExitStatus status) {
        if (jvmExiting) {
            return; // see jvmExiting(); watchers here go down with this JVM
        }
        for (RefImpl w : watchers) {
            if (w.processName().equals(processName)) {
                deliverTerminated(w, target, status);
            } else {
                sendSystem(w.processName(), Protocol.WatchNotify.of(target, w, status));
            }
        }
    }

    /** Watch bookkeeping that arrived from another process. */
    public void handleSystem(Object message) {
        if (message instanceof Protocol.Watch w) {
            ActorCell cell = actors.get(w.target().name());
            if ((cell == null || !cell.addWatcher((RefImpl) w.watcher())) && !jvmExiting) { // else ProcessDown answers
                sendSystem(w.watcher().processName(), Protocol.WatchNotify.of((RefImpl) w.target(), (RefImpl) w.watcher(), ActorCell.STOPPED));
            }
        } else if (message instanceof Protocol.Unwatch u) {
            ActorCell cell = actors.get(u.target().name());
            if (cell != null) {
                cell.removeWatcher((RefImpl) u.watcher());
            }
        } else if (message instanceof Protocol.WatchNotify n) {
            RefImpl target = (RefImpl) n.target();
            boolean registered;
            synchronized (remoteWatches) {
                Map<RefImpl, java.util.Set<RefImpl>> m = remoteWatches.get(target.processName());
                java.util.Set<RefImpl> ws = m == null ? null : m.get(target);
                registered = ws != null && ws.remove((RefImpl) n.watcher());
            }
            if (registered) { // exactly once: a ProcessDown may have reported it already
                deliverTerminated((RefImpl) n.watcher(), target, n.status());
            }
        }
    }

    private void deliverTerminated(RefImpl watcher, RefImpl target, io.procactor.ExitStatus status) {
        deliverLocal(watcher, target, new io.procactor.Terminated(target, status));
    }

    /** Sends a {@link Protocol.Routed} message to the runtime of {@code process}. */
    private void sendSystem(String process, Protocol.Routed message) {
        if (process.equals(processName)) {
            handleSystem(message);
            return;
        }
        Association link = linkTo(process);
        if (link != null) {
            link.send(message);
        } else if (message instanceof Protocol.Watch w) {
            io.procactor.ExitStatus down = exitStatusOf(process);
            handleSystem(Protocol.WatchNotify.of((RefImpl) w.target(), (RefImpl) w.watcher(),
                    down != null ? down : ActorCell.STOPPED));
        }
    }

    /** Stops executor and scheduler; fails asks still waiting. */
    public void shutdown(String reason) {
        asks.failAll(reason);
        scheduler.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<String> actorNames() {
        return List.copyOf(actors.keySet());
    }
}
