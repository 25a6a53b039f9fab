package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Asks in flight from this process, by id. Each ends exactly once: by reply, failure, timeout, or
 * the death of the target's process. Futures complete on the runtime executor, or, when a caller
 * is blocked in the future's {@code get()}, on that caller's thread (see {@link AskFuture}).
 *
 * <p>Threads: thread-safe. {@code register} on the asking thread; {@code reply} on the thread
 * that delivers the reply (an I/O thread, or the replying actor's dispatcher thread when it is
 * local); {@code processDown} on the thread that learns of the exit; the timeout on the
 * {@link Scheduler}'s thread. Whoever removes an entry from the map completes it: that is the
 * exactly-once rule.
 */
public final class AskTable {
    private static final class Pending {
        final RuntimeFuture<Object> future;
        final RefImpl target;
        final String messageType;
        final Duration timeout;
        /** Completed on the delivering thread (see {@link BlockingAsk}), not through the executor. */
        final boolean inline;
        /** Set just after the entry is in the map (so a timer that fires at once finds it); null until then. */
        volatile Future<?> timer;

        Pending(RuntimeFuture<Object> future, RefImpl target, String messageType, Duration timeout, boolean inline) {
            this.future = future;
            this.inline = inline;
            this.target = target;
            this.messageType = messageType;
            this.timeout = timeout;
        }
    }

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Executor executor;
    private final Scheduler scheduler;
    private final Function<String, String> processSituation;

    /**
     * @param executor     completes the futures (never the I/O thread: callers' callbacks run there)
     * @param scheduler    times asks out
     * @param processSituation what to say about a process in the timeout's message
     */
    AskTable(Executor executor, Scheduler scheduler, Function<String, String> processSituation) {
        this.executor = executor;
        this.scheduler = scheduler;
        this.processSituation = processSituation;
    }

    /** Registers a new ask, completed through {@code future}, and returns its id. */
    long register(RefImpl target, Object message, Duration timeout, RuntimeFuture<Object> future) {
        return register(target, message, timeout, future, false);
    }

    /** Like {@link #register(RefImpl, Object, Duration, RuntimeFuture)}; {@code inline}: see {@link BlockingAsk}. */
    long register(RefImpl target, Object message, Duration timeout, RuntimeFuture<Object> future, boolean inline) {
        long id = ids.incrementAndGet();
        Pending p = new Pending(future, target, Failures.typeName(message), timeout, inline);
        pending.put(id, p);
        // a timer left running by a reply that came before this line finds no entry when it fires: harmless
        p.timer = scheduler.schedule(() -> timeOut(id), Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
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
        if (body instanceof Protocol.Failure f) {
            complete(p, null, Failures.remote(f.className(), f.message(), f.stackTrace(), f.actorPath()));
        } else if (body instanceof Protocol.StartFailed sf) {
            complete(p, null, Failures.startFailed(sf.failure()));
        } else if (body instanceof Protocol.MailboxFull o) {
            complete(p, null, Failures.mailboxFull(o.targetPath(), p.messageType, o.capacity()));
        } else if (body instanceof Protocol.Undeliverable u) {
            complete(p, null, Failures.askEnded(u.targetPath(), p.messageType, u.reason()));
        } else {
            complete(p, body, null);
        }
    }

    void fail(long id, Throwable error) {
        Pending p = remove(id);
        if (p != null) {
            complete(p, null, error);
        }
    }

    /** Fails at once every ask whose target lives in {@code process}, which has exited. */
    void processDown(String process, ExitStatus status) {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (e.getValue().target.processName().equals(process)) {
                Pending p = remove(e.getKey());
                if (p != null) {
                    complete(p, null, terminated(p.target, p.messageType, status));
                }
            }
        }
    }

    public static ActorTerminatedException terminated(RefImpl target, String messageType, ExitStatus status) {
        return Failures.processExited(target.path(), target.processName(), messageType, status);
    }

    /** Fails every pending ask, e.g. when the system closes. */
    void failAll(String reason) {
        for (Long id : pending.keySet()) {
            Pending p = remove(id);
            if (p != null) {
                complete(p, null, Failures.askEnded(p.target.path(), p.messageType, reason));
            }
        }
    }

    private void timeOut(long id) {
        Pending p = pending.remove(id);
        if (p != null) {
            complete(p, null, new AskTimeoutException(p.target.path(), p.messageType, p.timeout,
                    processSituation.apply(p.target.processName())));
        }
    }

    private Pending remove(long id) {
        Pending p = pending.remove(id);
        Future<?> timer = p == null ? null : p.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        return p;
    }

    private void complete(Pending p, Object value, Throwable error) {
        if (p.inline) { // no callbacks: only a blocked get() wakes
            if (error != null) {
                p.future.completeExceptionally(error);
            } else {
                p.future.complete(value);
            }
            return;
        }
        if (p.future instanceof AskFuture af && af.handOff(value, error)) {
            return; // a caller blocked in get() takes it and completes the future on its own thread
        }
        executor.execute(() -> {
            if (error != null) {
                p.future.completeExceptionally(error);
            } else {
                p.future.complete(value);
            }
        });
    }
}
