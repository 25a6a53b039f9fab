package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Asks in flight from this process, by id. Each ends exactly once: by reply, failure, timeout, or
 * the death of the target's process. Futures complete on the runtime executor, or, when a caller
 * is blocked in the future's {@code get()}, on that caller's thread (see {@link AskFuture}).
 *
 * <p>Threads: thread-safe. {@code register} on the asking thread; {@code reply} on the thread
 * that delivers the reply (an I/O thread, or the replying actor's dispatcher thread when it is
 * local); {@code processDown} and {@code incarnationDown} on the thread that learns of the exit; the timeout on the
 * {@link Scheduler}'s thread ({@link AskTimeouts}). Whoever removes an entry from the map completes
 * it: that is the exactly-once rule.
 */
public final class AskTable {
    private final class Pending extends AskTimeouts.Entry implements AskSlots.Keyed {
        /** Cleared by whoever ends the ask: an answered ask may wait in the tick's heap until its deadline, and must not keep its reply. */
        private RuntimeFuture<Object> future;
        final RefImpl target;
        final String messageType;
        final Duration timeout;
        /** Completed on the delivering thread (see {@link BlockingAsk}), not through the executor. */
        final boolean inline;
        /** The link the message went on (null: none, a local ask): a restart fails only the asks sent to the incarnation that exited. */
        final Association via;

        Pending(long id, RuntimeFuture<Object> future, RefImpl target, String messageType, Duration timeout, boolean inline,
                Association via) {
            super(id, timeouts.deadline(timeout));
            this.future = future;
            this.inline = inline;
            this.via = via;
            this.target = target;
            this.messageType = messageType;
            this.timeout = timeout;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        void expire() {
            timeOut(this);
        }

        /** The future, for the one who took this ask out of the table (no one else reads it). */
        RuntimeFuture<Object> release() {
            RuntimeFuture<Object> f = future;
            future = null;
            return f;
        }
    }

    private final AskSlots<Pending> pending = new AskSlots<>();
    /** Set by {@link #failAll}: an ask registered after it fails at once. */
    private volatile String closedBecause;
    /** The endings failAll sent through the executor, for {@link #completeLeftovers}. */
    private final ConcurrentLinkedQueue<Runnable> endedAtClose = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final Executor executor;
    private final AskTimeouts timeouts;
    private final Function<String, String> processSituation;

    /**
     * @param executor     completes the futures (never the I/O thread: callers' callbacks run there)
     * @param scheduler    runs the tick that times asks out ({@link AskTimeouts})
     * @param ticker       the clock of the asks' deadlines, the scheduler's
     * @param processSituation what to say about a process in the timeout's message
     */
    AskTable(Executor executor, Scheduler scheduler, Ticker ticker, Function<String, String> processSituation) {
        this.executor = executor;
        this.timeouts = new AskTimeouts(scheduler, ticker, new AskTimeouts.Source() {
            @Override
            public long lastId() {
                return ids.get();
            }

            @Override
            public AskTimeouts.Entry find(long id) {
                return pending.get(id);
            }

            @Override
            public void forEach(Consumer<AskTimeouts.Entry> action) {
                pending.forEach(action::accept);
            }
        });
        this.processSituation = processSituation;
    }

    /** Registers a new ask, completed through {@code future}, and returns its id. */
    long register(RefImpl target, Object message, Duration timeout, RuntimeFuture<Object> future) {
        return register(target, message, timeout, future, false, null);
    }

    /**
     * Like {@link #register(RefImpl, Object, Duration, RuntimeFuture)}; {@code inline}: see {@link BlockingAsk};
     * {@code via}: the link the message will be sent on, resolved before the ask exists (see {@link #incarnationDown}).
     */
    long register(RefImpl target, Object message, Duration timeout, RuntimeFuture<Object> future, boolean inline,
            Association via) {
        long id = ids.incrementAndGet();
        Pending p = new Pending(id, future, target, Failures.typeName(message), timeout, inline, via);
        pending.put(p);
        if (closedBecause == null) {
            try {
                timeouts.add(p);
            } catch (RuntimeException e) { // the scheduler refused the tick: the ask must not stay in the table
                if (!remove(p)) {
                    return id; // failAll (the system closes, which stopped the scheduler) or a reply ended it already
                }
                String closed = closedBecause;
                if (closed == null) {
                    throw e;
                }
                complete(p, null, Failures.askEnded(target.path(), p.messageType, closed));
                return id;
            }
        }
        String closed = closedBecause;
        if (closed != null && remove(p)) { // failAll ran (or runs): the scheduler may be gone, so no timeout would end this ask
            complete(p, null, Failures.askEnded(target.path(), p.messageType, closed));
        }
        return id;
    }

    int size() {
        return pending.size();
    }

    /**
     * A reply arrived for ask {@code id}: a value, a {@link Protocol.Failure}, {@link Protocol.StartFailed},
     * {@link Protocol.MailboxFull} or {@link Protocol.Undeliverable}.
     */
    void reply(long id, Object body) {
        Pending p = remove(id);
        if (p == null) {
            return; // already timed out or failed: the late reply is dropped
        }
        Object value = body;
        Throwable error = null;
        if (body instanceof Protocol.Failure f) {
            error = Failures.remote(f.className(), f.message(), f.stackTrace(), f.actorPath());
        } else if (body instanceof Protocol.StartFailed sf) {
            error = Failures.startFailed(sf.failure());
        } else if (body instanceof Protocol.MailboxFull o) {
            error = Failures.mailboxFull(o.targetPath(), p.messageType, o.capacity());
        } else if (body instanceof Protocol.Undeliverable u) {
            error = Failures.askEnded(u.targetPath(), p.messageType, u.reason());
        }
        if (error != null) {
            value = null;
        }
        complete(p, value, error);
    }

    void fail(long id, Throwable error) {
        Pending p = remove(id);
        if (p != null) {
            complete(p, null, error);
        }
    }

    /** Fails at once every ask whose target lives in {@code process}, which has exited for good. */
    void processDown(String process, ExitStatus status) {
        pending.forEach(p -> {
            if (p.target.processName().equals(process) && remove(p)) {
                complete(p, null, terminated(p.target, p.messageType, status));
            }
        });
    }

    /**
     * An incarnation of {@code process} exited and another follows: fails at once the asks sent on
     * {@code closed}, the link to the one that exited. An ask that went on the next incarnation's
     * link (an asker that resolved the route just after the swap) is left to its reply: its message
     * reaches the next incarnation, which answers it. {@code closed} must be closed already: then an
     * ask that took it and registers after this scan fails as that link refuses its message.
     */
    void incarnationDown(String process, ExitStatus status, Association closed) {
        pending.forEach(p -> {
            if (p.via == closed && p.target.processName().equals(process) && remove(p)) {
                complete(p, null, terminated(p.target, p.messageType, status));
            }
        });
    }

    public static ActorTerminatedException terminated(RefImpl target, String messageType, ExitStatus status) {
        return Failures.processExited(target.path(), target.processName(), messageType, status);
    }

    /**
     * Fails every pending ask, e.g. when the system closes. Through the executor as ever (a callback
     * that joins another ask must not run on the closing thread); {@link #completeLeftovers} ends
     * whatever the executor then drops as it stops.
     */
    void failAll(String reason) {
        closedBecause = reason;
        pending.forEach(p -> {
            if (remove(p)) {
                boolean inline = p.inline;
                RuntimeFuture<Object> f = p.release();
                Throwable error = Failures.askEnded(p.target.path(), p.messageType, reason);
                complete(f, inline, null, error);
                endedAtClose.add(() -> completeDirectly(f, null, error)); // a second completion does nothing
            }
        });
    }

    /** After the executor stopped: completes on this thread the asks failAll ended whose completion it dropped. */
    void completeLeftovers() {
        for (Runnable r; (r = endedAtClose.poll()) != null; ) {
            r.run();
        }
    }

    /** Asks whose timeouts the tick holds (for tests: answered ones leave within a tick). */
    int timersArmed() {
        return timeouts.armed();
    }

    /** On the tick, the deadline passed. */
    private void timeOut(Pending p) {
        if (pending.remove(p)) {
            String situation = null;
            try {
                situation = processSituation.apply(p.target.processName());
            } finally { // taken out of the table: it ends whatever that threw
                complete(p, null, new AskTimeoutException(p.target.path(), p.messageType, p.timeout,
                        situation != null ? situation : "Its process's state could not be read."));
            }
        }
    }

    private Pending remove(long id) {
        Pending p = pending.remove(id);
        if (p != null) {
            timeouts.cancel(p);
        }
        return p;
    }

    private boolean remove(Pending p) {
        if (pending.remove(p)) {
            timeouts.cancel(p);
            return true;
        }
        return false;
    }

    private void complete(Pending p, Object value, Throwable error) {
        boolean inline = p.inline;
        complete(p.release(), inline, value, error);
    }

    private void complete(RuntimeFuture<Object> f, boolean inline, Object value, Throwable error) {
        if (inline) { // no callbacks: only a blocked get() wakes
            completeDirectly(f, value, error);
            return;
        }
        if (f instanceof AskFuture af && af.handOff(value, error)) {
            return; // a caller blocked in get() takes it and completes the future on its own thread
        }
        try {
            executor.execute(() -> completeDirectly(f, value, error));
        } catch (RejectedExecutionException closing) {
            completeDirectly(f, value, error); // the executor has stopped: here rather than never
        }
    }

    private static void completeDirectly(RuntimeFuture<Object> f, Object value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(value);
        }
    }
}
