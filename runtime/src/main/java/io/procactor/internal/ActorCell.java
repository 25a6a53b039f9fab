package io.procactor.internal;

import io.procactor.Actor;
import io.procactor.ActorContext;
import io.procactor.ActorCreationException;
import io.procactor.ActorRef;
import io.procactor.Props;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One actor's mailbox and the loop that feeds it, one message at a time, on the process's
 * executor. At most one thread runs a cell at a time: {@code scheduled} is the baton, and handing
 * it over publishes the actor's state to the next thread. Enqueueing is thread-safe; the
 * {@link ActorContext} methods are for the actor's own thread.
 */
public final class ActorCell implements ActorContext {
    private static final Logger log = LoggerFactory.getLogger(ActorCell.class);
    private static final ThreadLocal<ActorCell> NEWBORN = new ThreadLocal<>();

    /** What the cell calls on its actor; {@link Actor} passes it in from its constructor. */
    public interface Behavior {
        void receive(Object message) throws Exception;

        void preStart() throws Exception;

        void postStop() throws Exception;
    }

    private record Letter(ActorRef sender, Object body) {
    }

    private final ProcessCore core;
    private final String name;
    private final RefImpl self;
    private final Constructor<?> constructor;
    private final Object[] args;
    private final Queue<Letter> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile boolean terminated;
    private boolean started;
    private Behavior behavior;
    private ActorRef currentSender;

    ActorCell(ProcessCore core, String name, Constructor<?> constructor, Object[] args) {
        this.core = core;
        this.name = name;
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

    /** Starts the actor: construction and preStart run on the executor before any message. */
    void start() {
        schedule();
    }

    void enqueue(ActorRef sender, Object body) {
        mailbox.add(new Letter(sender, body));
        if (terminated) {
            drainToDeadLetters();
        } else {
            schedule();
        }
    }

    /** Stops the actor after the message it is handling, if any; later messages become dead letters. */
    void requestStop() {
        stopRequested = true;
        schedule();
    }

    boolean isTerminated() {
        return terminated;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            core.executor().execute(this::run);
        }
    }

    private void run() {
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
                    finishStop(null);
                    break;
                }
                Letter letter = mailbox.poll();
                if (letter == null) {
                    break;
                }
                handle(letter);
            }
        } finally {
            scheduled.set(false);
            if (!terminated && (stopRequested || !mailbox.isEmpty())) {
                schedule();
            }
        }
    }

    private boolean create() {
        NEWBORN.set(this);
        try {
            constructor.newInstance(args);
            if (behavior == null) {
                throw new ActorCreationException("constructor of [" + constructor.getDeclaringClass().getName()
                        + "] did not call Actor's constructor");
            }
            behavior.preStart();
            return true;
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
            log.error("Actor [{}] failed to start: {}", self.path(), cause.toString(), cause);
            finishStop(failure(cause));
            return false;
        } finally {
            NEWBORN.remove();
        }
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
            String type = letter.body() == null ? "null" : letter.body().getClass().getName();
            if (letter.sender() instanceof RefImpl r && r.isAsk()) {
                // the asker gets the exception; the log need not shout
                log.debug("Actor [{}] failed on a message of type [{}]; the asker gets the failure", self.path(), type, t);
                r.tell(failure(t), self);
            } else {
                log.warn("Actor [{}] failed on a message of type [{}]; it goes on with the next message", self.path(), type, t);
            }
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
                log.debug("Actor [{}] failed on a pool task; the submitter gets the failure", self.path(), t);
                slot.fail(failure(t));
            } finally {
                currentSender = null;
            }
        }
        collector.sealed(System.nanoTime() - start, mailbox.size());
    }

    private void finishStop(Protocol.Failure startFailure) {
        terminated = true;
        if (startFailure == null && behavior != null) {
            try {
                behavior.postStop();
            } catch (Throwable t) {
                log.warn("postStop of actor [{}] threw", self.path(), t);
            }
        }
        drainToDeadLetters();
        core.actorStopped(this, startFailure);
    }

    private void drainToDeadLetters() {
        Letter l;
        while ((l = mailbox.poll()) != null) {
            core.deadLetter(self, l.sender(), l.body(), "actor stopped");
        }
    }

    Protocol.Failure failure(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return new Protocol.Failure(t.getClass().getName(), t.getMessage(), w.toString(), self.path());
    }

    public void reply(Object message) {
        if (currentSender == null) {
            core.deadLetter(null, self, message, "reply(...) while handling a message that has no sender");
        } else {
            currentSender.tell(message, self);
        }
    }

    public void unhandled(Object message) {
        String type = message == null ? "null" : message.getClass().getName();
        log.warn("Actor [{}] does not handle messages of type [{}]", self.path(), type);
        Protocol.Failure f = new Protocol.Failure("io.procactor.UnhandledMessage", "actor [" + self.path()
                + "] does not handle messages of type [" + type + "]", "", self.path());
        if (currentSender instanceof RefImpl r && r.isAsk()) {
            r.tell(f, self);
        } else if (currentSender instanceof BatchCollector.Slot slot) {
            slot.fail(f);
        }
    }

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
    public ActorRef actorOf(Props props, String name) {
        return core.spawn(props, name);
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
