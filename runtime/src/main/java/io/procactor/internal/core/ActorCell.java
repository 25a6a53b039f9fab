package io.procactor.internal.core;

import io.procactor.Actor;
import io.procactor.ActorContext;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.SupervisorStrategy;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Transport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One actor: the loop that feeds it its {@link Mailbox}, one message at a time, on its dispatcher;
 * its creation; its children and watchers; and its {@link ActorContext}. What happens when it
 * throws is {@link FaultHandling}'s job, a pool batch is {@link BatchRun}'s.
 *
 * <p>Threads: at most one thread runs a cell at a time. {@code scheduled} is the baton: the thread
 * that wins it runs {@code run()} on the dispatcher, and handing it back publishes the actor's
 * state (the plain fields below) to the next holder. A cell that proved cheap may instead run a
 * bounded turn on the I/O thread that delivered its message ({@link IoInline}, {@code runInline}):
 * the same baton, so still one thread at a time and in mailbox order. {@link #enqueue} and the {@code request*}
 * methods are called by any thread (senders, I/O threads, siblings, the parent) and only set
 * volatile flags or queue; the {@link ActorContext} methods, {@link #reply} and {@link #unhandled}
 * are for the actor's own thread (the baton holder). Public only because {@link Actor} calls the
 * context methods; its constructor and everything else stay package-private.
 *
 * <p>Length: a little over 400 lines, a third of them the one-line {@link ActorContext}
 * delegations and accessors; the logic left is the loop, creation, stop and the local watchers
 * (which may join the process's remote watch table in a {@code DeathWatch} later).
 */
public final class ActorCell implements ActorContext {
    private static final Logger log = LoggerFactory.getLogger(ActorCell.class);
    static final ExitStatus STOPPED = new ExitStatus(0, 0, ExitStatus.Reason.NORMAL, "actor stopped", List.of());

    private final ProcessCore core;
    private final ApiAccess api;
    private final String name;
    private final RefImpl self;
    private final ActorCell parent;
    private final Constructor<?> constructor;
    private final Object[] args;
    private final Executor dispatcher;
    private final Ticker ticker;
    private final Mailbox mailbox;
    private final FaultHandling faults;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final IoInline inline = new IoInline();
    private final Set<ActorCell> children = new CopyOnWriteArraySet<>();
    private final Set<RefImpl> watchers = new HashSet<>();          // guarded by itself
    private volatile boolean stopRequested;
    private volatile Throwable restartRequested;                    // all-for-one: a sibling failed
    private volatile Throwable escalatedFromChild;
    private volatile boolean terminated;
    /** Why the actor could not start, once it has ended so; written before {@link #terminated}. */
    private volatile Protocol.Failure failedStart;
    private volatile Thread runner;                                 // the thread in run(), if any
    // baton holder only:
    private boolean started;
    private Actor actor;
    private ActorRef currentSender;
    /**
     * What the instance's {@code supervisorStrategy()} returned (null: the default), read once on
     * the baton holder as the instance is made: its children's failures are decided on their own
     * threads, which must neither call into this actor's code nor read its fields unsynchronised.
     */
    private volatile SupervisorStrategy strategyForChildren;

    /**
     * @param parent     the supervising actor, or null for a top-level actor (the guardian supervises it)
     * @param dispatcher where the cell's loop runs; at most one task of this cell runs at a time
     * @param ticker     the clock of the restart intensity window
     */
    ActorCell(ProcessCore core, String name, ActorCell parent, Props props, Executor dispatcher, Ticker ticker) {
        this.core = core;
        this.api = ApiAccess.get();
        this.name = name;
        this.parent = parent;
        this.self = core.ref(core.processName(), name);
        this.constructor = api.constructor(props);
        this.args = props.args().toArray();
        this.dispatcher = dispatcher;
        this.ticker = ticker;
        Settings s = core.settings();
        this.mailbox = new Mailbox(s.mailboxCapacity(), s.overflow(), s.blockTimeout(),
                (sender, body) -> core.overflowed(self, sender, body, s.mailboxCapacity()));
        this.faults = new FaultHandling(this, ticker);
    }

    String name() {
        return name;
    }

    String path() {
        return self.path();
    }

    RefImpl ref() {
        return self;
    }

    ProcessCore core() {
        return core;
    }

    ActorCell parent() {
        return parent;
    }

    Executor dispatcher() {
        return dispatcher;
    }

    Ticker ticker() {
        return ticker;
    }

    Set<ActorCell> children() {
        return children;
    }

    int queued() {
        return mailbox.size();
    }

    IoInline ioInline() {
        return inline;
    }

    /** Starts the actor: construction and preStart run on the dispatcher before any message. */
    void start() {
        if (parent != null) {
            parent.children.add(this);
        }
        schedule();
    }

    /**
     * Puts a message in the mailbox (see {@link Mailbox} for a full one); a stopped actor's
     * messages are dead letters.
     *
     * @param source the connection it arrived on, or null when sent from this process
     */
    void enqueue(ActorRef sender, Object body, Connection source) {
        if (terminated) {
            deadLetter(new Mailbox.Letter(sender, body), failedStart);
            return;
        }
        boolean mayInline = source != null && inline.eligible() && !(body instanceof Protocol.Batch);
        if (mayInline && mailbox.isEmpty() && scheduled.compareAndSet(false, true)) {
            // baton held and nothing queued: a cheap actor handles it right here, without the queue
            if (mailbox.isEmpty() && !terminated && !stopRequested && restartRequested == null && escalatedFromChild == null
                    && inline.enter()) {
                runInline(new Mailbox.Letter(sender, body));
                return;
            }
            scheduled.set(false); // the usual way below; a message queued meanwhile is scheduled with ours
        }
        if (!mailbox.offer(sender, body, source)) {
            // refused (full): what others queued while this thread held the baton above was left to it
            scheduleIfPending();
            return;
        }
        if (terminated) {
            drainToDeadLetters(failedStart);
        } else {
            scheduleFromIo(mayInline, source != null);
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
            dispatcher.execute(this::run);
        }
    }

    /**
     * Like {@link #schedule()}, for a message that just came in: on an I/O thread, a cell that
     * {@link IoInline} found cheap runs its turn right there (one thread hand-off less each way).
     */
    private void scheduleFromIo(boolean mayInline, boolean fromConnection) {
        if (scheduled.compareAndSet(false, true)) {
            if (mayInline && inline.eligible() && !stopRequested && restartRequested == null && escalatedFromChild == null
                    && inline.enter()) {
                runInline(null);
            } else if (fromConnection && Transport.isIoThread()) {
                ReadBatchWakeups.defer(submitTurn); // the rest of this read lands in the mailbox before the wake-up
            } else {
                dispatcher.execute(this::run);
            }
        }
    }

    /** Submits this cell's turn (baton held); deferred by an I/O thread to the end of its read. */
    private final Runnable submitTurn = this::submitTurn;

    private void submitTurn() {
        dispatcher.execute(this::run);
    }

    // ---- the loop (baton holder) ----

    /**
     * The cell's turn on the I/O thread that delivered its message (baton held, see
     * {@link IoInline}): at most {@link IoInline#BUDGET_NANOS} and the dispatcher throughput of
     * plain messages, each timed; whatever is left, a pool batch, a stop or a restart goes to the
     * dispatcher. A message slower than {@link IoInline#SLOW_NANOS} sends the cell back to the
     * dispatcher until it proves cheap again.
     */
    private void runInline(Mailbox.Letter first) {
        runner = Thread.currentThread();
        long t = System.nanoTime();
        try {
            long start = t;
            int budget = core.settings().throughput();
            Mailbox.Letter letter = first; // checked by the caller under the baton: handled whatever happened since
            while (letter != null
                    || (!terminated && budget > 0 && !stopRequested && restartRequested == null && escalatedFromChild == null)) {
                if (letter == null) {
                    letter = mailbox.pollUnlessBatch();
                    if (letter == null) {
                        break;
                    }
                }
                budget--;
                handle(letter);
                letter = null;
                long now = System.nanoTime();
                boolean cheap = inline.handled(now - t);
                t = now;
                if (!cheap || now - start > IoInline.BUDGET_NANOS) {
                    break;
                }
            }
        } catch (Throwable e) {
            // not into the transport, which would close the connection (a child's control connection: the child
            // ends); what a dispatcher thread does with it instead
            log.error("Uncaught exception on {} running actor [{}]", Thread.currentThread().getName(), self.path(), e);
        } finally {
            inline.leave(t);
            runner = null;
            scheduled.set(false);
            scheduleIfPending(); // the rest on the dispatcher: an I/O thread runs one bounded turn per delivery
        }
    }

    /** After the baton was let go: takes it again for what came meanwhile (requests, messages). */
    private void scheduleIfPending() {
        if (!terminated && (stopRequested || restartRequested != null || escalatedFromChild != null || mailbox.hasWaiting())) {
            schedule();
        }
    }

    private void run() {
        runner = Thread.currentThread();
        try {
            if (!started) {
                started = true;
                if (!create()) {
                    return;
                }
            }
            int throughput = core.settings().throughput();
            int budget = throughput;
            boolean learning = inline.learning();
            while (!terminated) {
                if (budget-- <= 0) {
                    if (othersWaiting()) {
                        break; // fairness: the rest after them
                    }
                    budget = throughput - 1; // nobody to yield to: going round the pool would only wake another worker
                }
                if (stopRequested) {
                    finishStop(STOPPED, null);
                    break;
                }
                Throwable escalated = escalatedFromChild;
                if (escalated != null) {
                    escalatedFromChild = null;
                    faults.failed(escalated, null);
                    continue;
                }
                Throwable restart = restartRequested;
                if (restart != null) {
                    restartRequested = null;
                    faults.restart(restart, null);
                    continue;
                }
                Mailbox.Letter letter = mailbox.poll();
                if (letter == null) {
                    break;
                }
                if (learning && !(letter.body() instanceof Protocol.Batch)) {
                    long t0 = System.nanoTime();
                    handle(letter);
                    learning = inline.handled(System.nanoTime() - t0) && inline.learning();
                } else {
                    handle(letter);
                }
            }
        } finally {
            runner = null;
            scheduled.set(false);
            scheduleIfPending();
        }
    }

    /**
     * Whether other tasks wait for the dispatcher this turn runs on. Yielding to nobody cost a
     * task submission, usually a wake-up of another (idle) worker that takes the turn over, and a
     * sleep of this one: every {@code throughput} messages of a stream. Not a pool's worker (a
     * test's executor): assume others wait.
     */
    private static boolean othersWaiting() {
        if (Thread.currentThread() instanceof ForkJoinWorkerThread w) {
            ForkJoinPool pool = w.getPool();
            return pool.hasQueuedSubmissions() || pool.getQueuedTaskCount() > 0;
        }
        return true;
    }

    private boolean create() {
        try {
            become(api.newActor(this, constructor, args));
            api.preStart(actor);
        } catch (Throwable t) {
            Throwable cause = unwrap(t);
            log.error("Actor [{}] failed to start: {}", self.path(), cause.toString(), cause);
            finishStop(new ExitStatus(0, 0, ExitStatus.Reason.STARTUP_FAILED, "failed to start: " + cause, List.of()), failure(cause));
            return false;
        }
        core.actorStarted(this);
        return true;
    }

    /** Restart, on the baton holder: a new instance replaces the failed one, then its postRestart. */
    void recreate(Throwable reason) throws Exception {
        actor = null;
        become(api.newActor(this, constructor, args));
        api.postRestart(actor, reason);
    }

    /** The new instance, and its strategy for this actor's children, read here once (see {@link #strategyForChildren}). */
    private void become(Actor instance) {
        actor = instance;
        SupervisorStrategy s;
        try {
            s = api.supervisorStrategy(instance);
        } catch (Throwable t) { // user code: its children fall back to the default, the actor itself goes on
            if (Failures.fatal(t)) {
                throw t;
            }
            log.error("supervisorStrategy() of actor [{}] threw; its children are handled by the default strategy",
                    self.path(), t);
            s = null;
        }
        strategyForChildren = s;
    }

    void preRestart(Throwable reason, Object message) throws Exception {
        api.preRestart(actor, reason, message);
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
    }

    private void handle(Mailbox.Letter letter) {
        if (letter.body() instanceof Protocol.Batch batch) {
            BatchRun.run(this, letter.sender(), batch);
            return;
        }
        currentSender = letter.sender(); // still the sender while the supervisor handles a failure
        try {
            api.receive(actor, letter.body());
        } catch (Throwable t) {
            if (Failures.fatal(t)) {
                tellAskerIfPossible(letter, t); // the JVM is in trouble: it may not manage, but an ask should not wait for nothing
                throw (VirtualMachineError) t;
            }
            if (letter.sender() instanceof AskRef) {
                letter.sender().tell(failure(t), self); // the asker gets the exception, whatever the directive
            }
            faults.failed(t, letter.body());
        } finally {
            currentSender = null;
        }
    }

    private void tellAskerIfPossible(Mailbox.Letter letter, Throwable t) {
        if (letter.sender() instanceof AskRef) {
            try {
                letter.sender().tell(failure(t), self);
            } catch (Throwable again) {
                t.addSuppressed(again);
            }
        }
    }

    /** Hands {@code message} to the actor with {@code sender} as its sender() (a pool batch's items). */
    void invoke(ActorRef sender, Object message) throws Exception {
        currentSender = sender;
        try {
            api.receive(actor, message);
        } finally {
            currentSender = null;
        }
    }

    /** The strategy this actor gives its children, or null for the default. Any thread. */
    SupervisorStrategy strategyForChildren() {
        return strategyForChildren;
    }

    /** The actor ends: its children are asked to stop, postStop runs, watchers and the process are told. */
    void finishStop(ExitStatus status, Protocol.Failure startFailure) {
        failedStart = startFailure; // an ask that comes later learns why too, not only those queued
        terminated = true;
        for (ActorCell child : children) {
            child.requestStop();
        }
        if (startFailure == null && actor != null) {
            try {
                api.postStop(actor);
            } catch (Throwable t) {
                log.warn("postStop of actor [{}] threw", self.path(), t);
            }
        }
        drainToDeadLetters(startFailure);
        mailbox.close();
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

    /** What waited in the mailbox: an asker of an actor that could not start gets why; the rest are dead letters. */
    private void drainToDeadLetters(Protocol.Failure startFailure) {
        mailbox.drainTo(l -> deadLetter(l, startFailure));
    }

    private void deadLetter(Mailbox.Letter l, Protocol.Failure startFailure) {
        if (startFailure != null && l.sender() instanceof AskRef asker) {
            asker.tell(new Protocol.StartFailed(startFailure), self);
        } else {
            core.deadLetter(self, l.sender(), l.body(), DeadLetters.ACTOR_STOPPED);
        }
    }

    // ---- local watchers (remote ones are ProcessCore's) ----

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

    // ---- what Actor calls (the actor's own thread) ----

    public void reply(Object message) {
        if (currentSender == null) {
            core.deadLetter(null, self, message, DeadLetters.NO_SENDER);
        } else {
            currentSender.tell(message, self);
        }
    }

    public void unhandled(Object message) {
        String type = Failures.typeName(message);
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
    public Future<?> scheduleOnce(Duration delay, Object message) {
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
