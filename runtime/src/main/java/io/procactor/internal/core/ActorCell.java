package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.internal.config.Settings;
import io.procactor.Actor;
import io.procactor.ActorContext;
import io.procactor.ActorCreationException;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.SupervisorStrategy;
import io.procactor.SupervisorStrategy.Directive;
import io.procactor.transport.Connection;
import io.procactor.transport.Transport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One actor's bounded mailbox and the loop that feeds it, one message at a time, on the process's
 * executor; its supervision (what happens when it throws), its children and its watchers.
 * At most one thread runs a cell at a time: {@code scheduled} is the baton, and handing it over
 * publishes the actor's state to the next thread. Enqueueing and the request flags are
 * thread-safe; the {@link ActorContext} methods are for the actor's own thread.
 */
public final class ActorCell implements ActorContext {
    private static final Logger log = LoggerFactory.getLogger(ActorCell.class);
    private static final ThreadLocal<ActorCell> NEWBORN = new ThreadLocal<>();
    static final ExitStatus STOPPED = new ExitStatus(0, 0, ExitStatus.Reason.NORMAL, "actor stopped", List.of());

    /** What the cell calls on its actor; {@link Actor} passes it in from its constructor. */
    public interface Behavior {
        void receive(Object message) throws Exception;

        void preStart() throws Exception;

        void postStop() throws Exception;

        void preRestart(Throwable reason, Object message) throws Exception;

        void postRestart(Throwable reason) throws Exception;

        SupervisorStrategy supervisorStrategy();
    }

    private record Letter(ActorRef sender, Object body) {
    }

    private final ProcessCore core;
    private final String name;
    private final RefImpl self;
    private final ActorCell parent;
    private final Constructor<?> constructor;
    private final Object[] args;
    private final Queue<Letter> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Set<ActorCell> children = new CopyOnWriteArraySet<>();
    private final Set<RefImpl> watchers = new HashSet<>();          // guarded by itself
    private final Set<Connection> pausedSources = ConcurrentHashMap.newKeySet();
    private final Object space = new Object();                      // senders blocked on a full mailbox wait here
    private volatile int blockedSenders;
    private volatile boolean stopRequested;
    private volatile Throwable restartRequested;                    // all-for-one: a sibling failed
    private volatile Throwable escalatedFromChild;
    private volatile boolean terminated;
    private volatile Thread runner;                                 // the thread in run(), if any
    private boolean started;
    private Behavior behavior;
    private ActorRef currentSender;
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private ExitStatus stopStatus = STOPPED;

    ActorCell(ProcessCore core, String name, ActorCell parent, Constructor<?> constructor, Object[] args) {
        this.core = core;
        this.name = name;
        this.parent = parent;
        this.self = core.ref(core.processName(), name);
        this.constructor = constructor;
        this.args = args;
    }

    /** Called from {@link Actor}'s constructor: binds the new instance to the cell creating it. */
    public static ActorCell attach(Actor actor, Behavior behavior) {
        ActorCell cell = NEWBORN.get();
        if (cell == null) {
            throw new ActorCreationException("Actor [" + actor.getClass().getName() + "] was created with 'new'; actors are "
                    + "created by the runtime: use Props.create(" + actor.getClass().getSimpleName()
                    + ".class, args...) with ActorSystem.spawnProcess or actorOf");
        }
        NEWBORN.remove();
        cell.behavior = behavior;
        return cell;
    }

    String name() {
        return name;
    }

    ActorCell parent() {
        return parent;
    }

    int queued() {
        return queued.get();
    }

    /** Starts the actor: construction and preStart run on the executor before any message. */
    void start() {
        if (parent != null) {
            parent.children.add(this);
        }
        schedule();
    }

    // ---- mailbox ----

    /**
     * Puts a message in the mailbox, applying the overflow policy when it is full.
     *
     * @param source the connection it arrived on, or null when sent from this process
     */
    void enqueue(ActorRef sender, Object body, Connection source) {
        if (terminated) {
            core.deadLetter(self, sender, body, DeadLetters.ACTOR_STOPPED);
            return;
        }
        Settings s = core.settings();
        if (queued.get() >= s.mailboxCapacity()) {
            switch (s.overflow()) {
                case FAIL, DROP_NEWEST -> {
                    core.overflowed(self, sender, body, s.mailboxCapacity());
                    return;
                }
                case DROP_OLDEST -> {
                    Letter oldest = mailbox.poll();
                    if (oldest != null) {
                        queued.decrementAndGet();
                        core.overflowed(self, oldest.sender(), oldest.body(), s.mailboxCapacity());
                    }
                }
                case BLOCK -> {
                    if (source != null) {
                        // take it (reads already done) and stop reading more from that process
                        synchronized (pausedSources) {
                            if (pausedSources.add(source)) {
                                source.pauseReads();
                            }
                        }
                    } else if (!Transport.isIoThread() && !awaitSpace(s)) {
                        core.overflowed(self, sender, body, s.mailboxCapacity());
                        return;
                    }
                }
            }
        }
        mailbox.add(new Letter(sender, body));
        queued.incrementAndGet();
        if (terminated) {
            drainToDeadLetters();
        } else {
            schedule();
        }
    }

    private boolean awaitSpace(Settings s) {
        long deadline = System.nanoTime() + s.blockTimeout().toNanos();
        synchronized (space) {
            blockedSenders++;
            try {
                while (queued.get() >= s.mailboxCapacity() && !terminated) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    space.wait(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                blockedSenders--;
            }
        }
    }

    private Letter dequeue() {
        Letter l = mailbox.poll();
        if (l != null) {
            int left = queued.decrementAndGet();
            if (blockedSenders > 0) {
                synchronized (space) {
                    space.notifyAll();
                }
            }
            if (!pausedSources.isEmpty() && left <= core.settings().mailboxCapacity() / 2) {
                resumeSources();
            }
        }
        return l;
    }

    // Pausing and resuming hold the set's lock: a resume that ran between another thread's add and
    // its pauseReads left the connection paused with nobody to resume it, and the flow stalled.
    private void resumeSources() {
        synchronized (pausedSources) {
            for (Connection c : pausedSources) {
                c.resumeReads();
            }
            pausedSources.clear();
        }
    }

    // ---- requests from other threads ----

    /** Stops the actor after the message it is handling, if any; later messages become dead letters. */
    void requestStop() {
        stopRequested = true;
        schedule();
    }

    /** All-for-one: a sibling failed, so this actor restarts too, before its next message. */
    void requestRestart(Throwable cause) {
        restartRequested = cause;
        schedule();
    }

    /** A child escalated its failure: this actor fails with it. */
    void childEscalated(Throwable cause) {
        escalatedFromChild = cause;
        schedule();
    }

    boolean isTerminated() {
        return terminated;
    }

    /**
     * Whether the thread running this actor is inside System.exit (its actor code called it): that
     * call returns never, so this actor will not finish its message nor stop while the JVM exits.
     */
    boolean isInSystemExit() {
        Thread t = runner;
        if (t == null) {
            return false;
        }
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if ("exit".equals(f.getMethodName()) && ("java.lang.Shutdown".equals(c) || "java.lang.Runtime".equals(c))) {
                return true;
            }
        }
        return false;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            core.executor().execute(this::run);
        }
    }

    // ---- the loop ----

    private void run() {
        runner = Thread.currentThread();
        try {
            if (!started) {
                started = true;
                if (!create()) {
                    return;
                }
            }
            int budget = core.settings().throughput();
            while (!terminated && budget-- > 0) {
                if (stopRequested) {
                    finishStop(stopStatus, null);
                    break;
                }
                Throwable escalated = escalatedFromChild;
                if (escalated != null) {
                    escalatedFromChild = null;
                    failed(escalated, null);
                    continue;
                }
                Throwable restart = restartRequested;
                if (restart != null) {
                    restartRequested = null;
                    restart(restart, null);
                    continue;
                }
                Letter letter = dequeue();
                if (letter == null) {
                    break;
                }
                handle(letter);
            }
        } finally {
            runner = null;
            scheduled.set(false);
            if (!terminated && (stopRequested || restartRequested != null || escalatedFromChild != null || !mailbox.isEmpty())) {
                schedule();
            }
        }
    }

    private boolean create() {
        try {
            newInstance();
            behavior.preStart();
        } catch (Throwable t) {
            Throwable cause = unwrap(t);
            log.error("Actor [{}] failed to start: {}", self.path(), cause.toString(), cause);
            finishStop(new ExitStatus(0, 0, ExitStatus.Reason.STARTUP_FAILED, "failed to start: " + cause, List.of()), failure(cause));
            return false;
        }
        core.actorStarted(this);
        return true;
    }

    private void newInstance() throws Exception {
        NEWBORN.set(this);
        try {
            behavior = null;
            constructor.newInstance(args);
            if (behavior == null) {
                throw new ActorCreationException("constructor of [" + constructor.getDeclaringClass().getName()
                        + "] did not call Actor's constructor");
            }
        } finally {
            NEWBORN.remove();
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
    }

    private void handle(Letter letter) {
        if (letter.body() instanceof Protocol.Batch batch) {
            handleBatch(letter.sender(), batch);
            return;
        }
        currentSender = letter.sender();
        try {
            behavior.receive(letter.body());
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            boolean asked = letter.sender() instanceof AskRef;
            if (asked) {
                letter.sender().tell(failure(t), self); // the asker gets the exception, whatever the directive
            }
            failed(t, letter.body());
        } finally {
            currentSender = null;
        }
    }

    /** Handles each item of a pool batch as a message whose sender is the item's result slot. */
    private void handleBatch(ActorRef replyTo, Protocol.Batch batch) {
        long start = System.nanoTime();
        BatchCollector collector = new BatchCollector(batch.id(), batch.items().size(), replyTo, self);
        int i = 0;
        for (Object item : batch.items()) {
            BatchCollector.Slot slot = (BatchCollector.Slot) collector.slot(i++);
            currentSender = slot;
            try {
                behavior.receive(item);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                // a failing task fails its own future and nothing else: the worker goes on
                log.debug("Actor [{}] failed on a pool task; the submitter gets the failure", self.path(), t);
                slot.fail(failure(t));
            } finally {
                currentSender = null;
            }
        }
        collector.sealed(System.nanoTime() - start, queued.get());
    }

    // ---- supervision ----

    private SupervisorStrategy supervisor() {
        if (parent != null) {
            SupervisorStrategy s = parent.strategyForChildren();
            return s != null ? s : SupervisorStrategy.defaultStrategy();
        }
        return core.settings().guardian();
    }

    private SupervisorStrategy strategyForChildren() {
        Behavior b = behavior;
        return b == null ? null : b.supervisorStrategy();
    }

    /** This actor threw {@code t} (while handling {@code message}, if any): its supervisor decides. */
    private void failed(Throwable t, Object message) {
        SupervisorStrategy s = supervisor();
        Directive d = s.decide(t);
        String type = message == null ? "(no message)" : message.getClass().getName();
        switch (d) {
            case RESUME -> log.warn("Actor [{}] failed on a message of type [{}]; resumed", self.path(), type, t);
            case RESTART -> {
                if (!allowRestart(s)) {
                    log.error("Actor [{}] exceeded its restart intensity ({} restarts within {} ms); stopping it and escalating",
                            self.path(), s.maxRestarts(), s.within().toMillis(), t);
                    stopAndEscalate(t);
                    return;
                }
                log.warn("Actor [{}] failed on a message of type [{}]; restarting it", self.path(), type, t);
                if (s.isAllForOne()) {
                    for (ActorCell sibling : siblings()) {
                        sibling.requestRestart(t);
                    }
                }
                restart(t, message);
            }
            case STOP -> {
                log.warn("Actor [{}] failed on a message of type [{}]; stopping it", self.path(), type, t);
                if (s.isAllForOne()) {
                    siblings().forEach(ActorCell::requestStop);
                }
                finishStop(crashed(t), null);
            }
            case ESCALATE -> {
                log.warn("Actor [{}] failed on a message of type [{}]; escalating", self.path(), type, t);
                stopAndEscalate(t);
            }
        }
    }

    private List<ActorCell> siblings() {
        List<ActorCell> all = new ArrayList<>(parent != null ? parent.children : core.topLevelCells());
        all.remove(this);
        return all;
    }

    private boolean allowRestart(SupervisorStrategy s) {
        long now = System.nanoTime();
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() > s.within().toNanos()) {
            restartTimes.removeFirst();
        }
        if (restartTimes.size() >= s.maxRestarts()) {
            return false;
        }
        restartTimes.addLast(now);
        return true;
    }

    private void restart(Throwable reason, Object message) {
        try {
            behavior.preRestart(reason, message);
        } catch (Throwable t) {
            log.warn("preRestart of actor [{}] threw", self.path(), t);
        }
        try {
            newInstance();
            behavior.postRestart(reason);
        } catch (Throwable t) {
            Throwable cause = unwrap(t);
            log.error("Actor [{}] could not be restarted", self.path(), cause);
            stopAndEscalate(cause);
        }
    }

    private void stopAndEscalate(Throwable t) {
        if (parent == null) {
            core.escalated(self, t); // first: the process records why it ends before its last actor is gone
        }
        finishStop(crashed(t), null);
        if (parent != null) {
            parent.childEscalated(t);
        }
    }

    private static ExitStatus crashed(Throwable t) {
        return new ExitStatus(0, 0, ExitStatus.Reason.CRASHED, "actor failed: " + t, List.of());
    }

    private void finishStop(ExitStatus status, Protocol.Failure startFailure) {
        terminated = true;
        for (ActorCell child : children) {
            child.requestStop();
        }
        if (startFailure == null && behavior != null) {
            try {
                behavior.postStop();
            } catch (Throwable t) {
                log.warn("postStop of actor [{}] threw", self.path(), t);
            }
        }
        drainToDeadLetters();
        resumeSources();
        synchronized (space) {
            space.notifyAll();
        }
        List<RefImpl> toNotify;
        synchronized (watchers) {
            toNotify = new ArrayList<>(watchers);
            watchers.clear();
        }
        core.notifyWatchers(self, toNotify, status);
        if (parent != null) {
            parent.children.remove(this);
        }
        core.actorStopped(this, startFailure);
    }

    private void drainToDeadLetters() {
        Letter l;
        while ((l = mailbox.poll()) != null) {
            queued.decrementAndGet();
            core.deadLetter(self, l.sender(), l.body(), DeadLetters.ACTOR_STOPPED);
        }
        resumeSources(); // a stopped actor must not keep other processes' connections paused
    }

    /** Adds a watcher; false if the actor already stopped (the caller then reports it at once). */
    boolean addWatcher(RefImpl watcher) {
        synchronized (watchers) {
            if (terminated) {
                return false;
            }
            watchers.add(watcher);
            return true;
        }
    }

    void removeWatcher(RefImpl watcher) {
        synchronized (watchers) {
            watchers.remove(watcher);
        }
    }

    Protocol.Failure failure(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return new Protocol.Failure(t.getClass().getName(), t.getMessage(), w.toString(), self.path());
    }

    public void reply(Object message) {
        if (currentSender == null) {
            core.deadLetter(null, self, message, DeadLetters.NO_SENDER);
        } else {
            currentSender.tell(message, self);
        }
    }

    public void unhandled(Object message) {
        String type = message == null ? "null" : message.getClass().getName();
        log.warn("Actor [{}] does not handle messages of type [{}]", self.path(), type);
        Protocol.Failure f = new Protocol.Failure("io.procactor.UnhandledMessage", "actor [" + self.path()
                + "] does not handle messages of type [" + type + "]", "", self.path());
        if (currentSender instanceof AskRef r) {
            r.tell(f, self);
        } else if (currentSender instanceof BatchCollector.Slot slot) {
            slot.fail(f);
        }
    }

    // ---- ActorContext ----

    @Override
    public ActorRef self() {
        return self;
    }

    @Override
    public ActorRef sender() {
        return currentSender;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }

    @Override
    public ActorRef actorOf(Props props, String childName) {
        return core.spawn(props, childName, this);
    }

    @Override
    public void watch(ActorRef target) {
        core.watch(self, (RefImpl) target);
    }

    @Override
    public void unwatch(ActorRef target) {
        core.unwatch(self, (RefImpl) target);
    }

    @Override
    public java.util.concurrent.Future<?> scheduleOnce(java.time.Duration delay, Object message) {
        return core.scheduler().schedule(() -> self.tell(message, self), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public String systemName() {
        return core.systemName();
    }

    @Override
    public String processName() {
        return core.processName();
    }

    @Override
    public long pid() {
        return core.pid();
    }

    @Override
    public long parentPid() {
        return core.parentPid();
    }
}
