package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.internal.config.Settings;
import io.procactor.ActorCreationException;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.MessageSerializationException;
import io.procactor.Props;
import io.procactor.transport.Connection;
import io.procactor.transport.Registrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every procactor JVM has, node or child: its actors and other named recipients (a pool's
 * dispatcher, asks), and the routing of each message to one of them or, through the
 * {@link ProcessDirectory} (resolved once per send), to another process. Its parts: {@link Outbound}
 * (what leaves this JVM), {@link AskTable}, {@link DeathWatch}, {@link DeadLetters},
 * {@link ProcessExit}; executors, scheduler and clock come in with {@link RuntimeExecutors}.
 *
 * <p>Threads: thread-safe. {@code send}/{@code ask}/{@code watch} are called on any user or
 * dispatcher thread; {@code deliverLocal} and {@code handleSystem} on I/O threads (messages from
 * other processes) and sender threads (local messages); {@code processDown} on the I/O thread of
 * the control connection (child) or the child's reaper/scheduler thread (node); the actor
 * callbacks ({@code actorStarted}, {@code actorStopped}, {@code escalated}, {@code notifyWatchers})
 * on dispatcher threads.
 */
public final class ProcessCore {
    private final String systemName;
    private final String processName;
    private final long pid;
    private final long parentPid;
    private final Settings settings;
    private final RuntimeExecutors executors;
    private final Executor executor;
    private final AskTable asks;
    private final Map<String, ActorCell> actors = new ConcurrentHashMap<>();
    private final FailedStarts failedStarts = new FailedStarts();
    private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
    private final DeadLetters deadLetters;
    private final DeathWatch deathWatch = new DeathWatch(this);
    private final Outbound outbound;
    private final ProcessHost host;
    private final ProcessDirectory directory;
    private final ProcessExit exit;

    /**
     * @param directory makes the directory of the other processes; it is given this core (to
     *                  create associations) and must not send anything before the constructor returns
     */
    public ProcessCore(String systemName, String processName, long parentPid, Settings settings,
                Supplier<Registrations> registrations, RuntimeExecutors executors, ProcessHost host,
                Function<ProcessCore, ? extends ProcessDirectory> directory) {
        this.systemName = systemName;
        this.processName = processName;
        this.pid = ProcessHandle.current().pid();
        this.parentPid = parentPid;
        this.settings = settings;
        this.outbound = new Outbound(this, settings, registrations);
        this.registrations = registrations;
        this.deadLetters = new DeadLetters(settings.deadLetterLogsPerMinute(), executors.ticker());
        this.executors = executors;
        this.executor = executors.dispatcher();
        this.exit = new ProcessExit(actors.values(), executors.ticker());
        this.asks = new AskTable(executor, executors.scheduler(), executors.ticker(), this::processSituation);
        this.host = host;
        this.directory = directory.apply(this);
    }

    /** What an asker whose ask timed out should know about {@code process}. */
    private String processSituation(String process) {
        if (directory.exitStatus(process).isPresent()) {
            return "Its process is not running.";
        }
        return directory.starting(process).map(progress -> "The actor did not reply: its process [" + process
                        + "] is still starting (" + progress + "). Wait for ActorProcess.ready() or raise the timeout.")
                .orElse("The actor did not reply; its process is alive. Reply with reply(...) or raise the timeout.");
    }

    /** The directory given to the constructor. */
    public ProcessDirectory directory() {
        return directory;
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

    /** Runs actors' turns and completes futures. */
    public Executor executor() {
        return executor;
    }

    /** This JVM's timers. */
    public Scheduler scheduler() {
        return executors.scheduler();
    }

    /** This JVM's clock. */
    public Ticker ticker() {
        return executors.ticker();
    }

    AskTable asks() {
        return asks;
    }

    /**
     * An association to {@code process} whose senders wait (up to the mailbox block-timeout) while it is full;
     * with overflow = block, also while a mailbox's worth of messages waits for its connection.
     */
    public Association newLink(String process) {
        return outbound.newAssociation(process);
    }

    public RefImpl ref(String process, String name) {
        return new RefImpl(this, process, name);
    }

    public int actorCount() {
        return actors.size();
    }

    /** Every actor of this process (top-level and children) with its mailbox depth, by name; for the admin endpoint. */
    public Map<String, Integer> mailboxDepths() {
        Map<String, Integer> depths = new TreeMap<>();
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

    private final List<Runnable> exitFlushes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Work to finish before this process tells the node it exits: a queue's feeder sending what was put (as Python's). */
    public void addExitFlush(Runnable flush) {
        exitFlushes.add(flush);
    }

    /** Runs the exit flushes (each bounds its own wait); called by the child's exit paths. */
    public void runExitFlushes() {
        for (Runnable r : exitFlushes) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // leaving anyway
            }
        }
    }

    // ---- actors of this process ----

    /** Creates a local actor; its constructor and preStart run on the executor before its first message. */
    public RefImpl spawn(Props props, String name) {
        return spawn(props, name, null);
    }

    /** Creates an actor; {@code parent} (null for a top-level actor) supervises it. */
    public RefImpl spawn(Props props, String name, ActorCell parent) {
        Names.check(name, "actor");
        // a child runs on its parent's dispatcher and clock (the same as ours, except under a cell test's own)
        ActorCell cell = parent != null ? new ActorCell(this, name, parent, props, parent.dispatcher(), parent.ticker())
                : new ActorCell(this, name, null, props, executor, executors.ticker());
        if (actors.putIfAbsent(name, cell) != null) {
            throw new ActorCreationException("an actor named [" + name + "] already exists in process [" + processName
                    + "]; choose another name");
        }
        failedStarts.forget(name);
        cell.start();
        return (RefImpl) cell.self();
    }

    /** A child's top-level actor is the one its node spawned: the node's ready() waits for it. */
    void actorStarted(ActorCell cell) {
        if (cell.parent() == null) {
            host.actorStarted(cell.name());
        }
    }

    void actorStopped(ActorCell cell, Protocol.Failure startFailure) {
        if (startFailure != null) {
            failedStarts.remember(cell.name(), startFailure); // before the name is free: no ask falls in between
        }
        actors.remove(cell.name(), cell);
        exit.actorStopped();
        host.actorStopped(cell.name(), startFailure);
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
        return exit.awaitNoActors(timeout, butInSystemExit);
    }

    /** The actors no other actor created: the guardian's children. */
    List<ActorCell> topLevelCells() {
        List<ActorCell> top = new ArrayList<>();
        for (ActorCell c : actors.values()) {
            if (c.parent() == null) {
                top.add(c);
            }
        }
        return top;
    }

    /** A top-level actor escalated a failure past its guardian. */
    void escalated(RefImpl actor, Throwable cause) {
        host.escalated(actor, cause);
    }

    /** The function of a function process failed ({@link FunctionTask}): the process exits with {@code detail}. */
    void taskFailed(RefImpl actor, String detail) {
        host.taskFailed(actor, detail);
    }

    /**
     * This JVM is exiting on its own (System.exit, SIGTERM): from now on an actor that stops does
     * not tell its watchers. That stop is its process ending, with an exit status only the node
     * learns (from the OS); the node's ProcessDown reports it to every watcher elsewhere, once.
     */
    public void jvmExiting() {
        exit.jvmExiting();
    }

    public boolean isJvmExiting() {
        return exit.isJvmExiting();
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
        } else {
            outbound.send(target, message, sender, directory.route(target.processName()));
        }
    }

    private final Supplier<Registrations> registrations;

    /** This process's current registration table (items in shared memory are encoded with it). */
    public Registrations registrations() {
        return registrations.get();
    }

    /** @throws MessageSerializationException when {@code message}'s class is not registered (see {@link ProcessWatch#requireEncodable}) */
    public void requireEncodable(Object message) {
        outbound.checkRegistered(message);
    }

    /** A message for another process that has no route: it exited, or there is no such process. */
    public void undeliverable(RefImpl target, ActorRef sender, Object message, ProcessDirectory.Route route) {
        outbound.undeliverable(target, sender, message, route);
    }

    /**
     * Sends a pool batch to the main actor of {@code process} without an envelope (see
     * {@link Outbound#sendBatch}). Returns false when there is no such process any more.
     *
     * @throws MessageSerializationException when an item cannot be encoded
     */
    public boolean sendBatch(String process, Protocol.Batch batch) {
        return outbound.sendBatch(process, batch);
    }

    <T> CompletableFuture<T> ask(RefImpl target, Object message, Duration timeout) {
        return ask(target, message, timeout, false);
    }

    /** {@code inline}: see {@link BlockingAsk}, the future completes on the thread that delivers the reply. */
    <T> CompletableFuture<T> ask(RefImpl target, Object message, Duration timeout, boolean inline) {
        Objects.requireNonNull(timeout, () -> "ask to [" + target.path() + "]: timeout is null; give how long to wait for the "
                + "reply, such as Duration.ofSeconds(5)");
        RuntimeFuture<Object> future = new AskFuture(executor);
        boolean local = target.processName().equals(processName);
        // the route before the ask: the ask records the link its message goes on, so that a restart
        // of the target's process fails only the asks sent to the incarnation that exited
        ProcessDirectory.Route route = local ? null : directory.route(target.processName());
        Association via = route instanceof ProcessDirectory.Linked linked ? linked.association() : null;
        long id = asks.register(target, message, timeout, future, inline, via);
        AskRef replyTo = new AskRef(this, processName, id);
        if (route instanceof ProcessDirectory.Gone gone) {
            asks.fail(id, AskTable.terminated(target, Failures.typeName(message), gone.status()));
        } else {
            try {
                if (local) {
                    deliverLocal(target, replyTo, message);
                } else {
                    outbound.send(target, message, replyTo, route);
                }
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
    public void deliverLocal(RefImpl target, ActorRef sender, Object body, Connection source) {
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
        Protocol.Failure failedStart;
        if (cell == null && sender instanceof AskRef asker && !(body instanceof Protocol.Failure)
                && !(body instanceof Protocol.Undeliverable) && (failedStart = failedStarts.of(name)) != null) {
            asker.tell(new Protocol.StartFailed(failedStart), target); // as the asks queued before it failed
        } else if (cell == null) {
            deadLetter(target, sender, body, DeadLetters.NO_SUCH_ACTOR,
                    "no actor named [" + name + "] in process [" + processName + "]; it stopped or never existed");
        } else {
            cell.enqueue(sender, body, source);
        }
    }

    /** Counts and logs a message nobody will handle; an asker is told at once. */
    public void deadLetter(RefImpl target, ActorRef sender, Object body, DeadLetterReason reason) {
        deadLetter(target, sender, body, reason, null);
    }

    /** Like {@link #deadLetter(RefImpl, ActorRef, Object, DeadLetterReason)}; {@code detail} says what varies (which process, which pool). */
    public void deadLetter(RefImpl target, ActorRef sender, Object body, DeadLetterReason reason, String detail) {
        String type = Failures.typeName(body);
        String path = target == null ? "(no recipient)" : target.path();
        if (sender instanceof AskRef s && !(body instanceof Protocol.Failure) && !(body instanceof Protocol.Undeliverable)) {
            s.tell(new Protocol.Undeliverable(path, detail != null ? detail : reason.key()));
        } else if (sender != null && body instanceof Protocol.AnsweredWhenUndeliverable waiting) {
            sender.tell(waiting.undeliverableAnswer(path)); // e.g. a queue's one-way take: its inbox waits for an answer
        }
        deadLetters.record(reason, type, path, detail);
    }

    /**
     * A full mailbox refused a message: an asker fails at once, and so do the tasks of a pool's batch
     * (the pool waits for its result, not for an answer to an ask); anything else is a dead letter.
     */
    void overflowed(RefImpl target, ActorRef sender, Object body, int capacity) {
        if (sender instanceof AskRef s) {
            s.tell(new Protocol.MailboxFull(target.path(), capacity));
        } else if (body instanceof Protocol.Batch batch && sender != null) {
            Protocol.MailboxFull full = new Protocol.MailboxFull(target.path(), capacity);
            List<Object> results = new ArrayList<>(batch.items().size());
            for (int i = 0; i < batch.items().size(); i++) {
                results.add(full);
            }
            sender.tell(new Protocol.BatchResult(batch.id(), results, 0, capacity), target);
        }
        deadLetters.record(DeadLetters.MAILBOX_FULL, Failures.typeName(body), target.path(), "mailbox holds " + capacity + " messages");
    }

    /** Fails asks waiting on {@code process}, which has exited for good, and tells watchers of its actors. */
    public void processDown(String process, ExitStatus status) {
        asks.processDown(process, status);
        deathWatch.processDown(process, status);
    }

    /**
     * An incarnation of {@code process} exited and the next one is coming: fails the asks sent on
     * {@code closed}, the link to the one that exited, closed already (null when none was closed: every waiting
     * message waits for the next incarnation), and tells watchers of its actors.
     */
    public void incarnationDown(String process, ExitStatus status, Association closed) {
        if (closed != null) {
            asks.incarnationDown(process, status, closed);
        }
        deathWatch.processDown(process, status);
    }

    // ---- death watch, see DeathWatch ----

    void watch(RefImpl watcher, RefImpl target) {
        deathWatch.watch(watcher, target);
    }

    void unwatch(RefImpl watcher, RefImpl target) {
        deathWatch.unwatch(watcher, target);
    }

    void notifyWatchers(RefImpl target, List<RefImpl> watchers, ExitStatus status) {
        deathWatch.notifyWatchers(target, watchers, status);
    }

    /** Watch bookkeeping that arrived from another process. */
    public void handleSystem(Protocol.Routed message) {
        deathWatch.handle(message);
    }

    /** The actor of this process named {@code name}, or null. */
    ActorCell cell(String name) {
        return actors.get(name);
    }

    /** Stops executor and scheduler; fails asks still waiting. */
    public void shutdown(String reason) {
        asks.failAll(reason);
        executors.shutdown().run();
        asks.completeLeftovers(); // what the stopped executor dropped
    }

    public List<String> actorNames() {
        return List.copyOf(actors.keySet());
    }
}
