package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import io.procactor.RemoteActorException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Asks in flight from this process, by id. Each ends exactly once: by reply, failure, timeout, or
 * the death of the target's process. Futures complete on the runtime executor. Thread-safe.
 */
public final class AskTable {
    private record Pending(RuntimeFuture<Object> future, RefImpl target, String messageType, Duration timeout,
                           ScheduledFuture<?> timer) {
    }

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Predicate<String> processAlive;

    AskTable(Executor executor, ScheduledExecutorService scheduler, Predicate<String> processAlive) {
        this.executor = executor;
        this.scheduler = scheduler;
        this.processAlive = processAlive;
    }

    /** Registers a new ask and returns its id; the future is {@link #future(long)}. */
    long register(RefImpl target, Object message, Duration timeout, RuntimeFuture<Object> future) {
        long id = ids.incrementAndGet();
        String type = message == null ? "null" : message.getClass().getName();
        ScheduledFuture<?> timer = scheduler.schedule(() -> timeOut(id), Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(future, target, type, timeout, timer));
        return id;
    }

    int size() {
        return pending.size();
    }

    /** A reply arrived for ask {@code id}: a value, a {@link Protocol.Failure} or an {@link Protocol.Undeliverable}. */
    void reply(long id, Object body) {
        Pending p = remove(id);
        if (p == null) {
            return; // already timed out or failed: the late reply is dropped
        }
        if (body instanceof Protocol.Failure f) {
            complete(p, null, new RemoteActorException(f.actorPath(), f.className(), f.message(), f.stackTrace()));
        } else if (body instanceof Protocol.MailboxFull o) {
            complete(p, null, new io.procactor.MailboxOverflowException("Ask to [" + o.targetPath() + "] failed (message type ["
                    + p.messageType() + "]): its mailbox was full (" + o.capacity() + " messages; procactor.mailbox.overflow)"));
        } else if (body instanceof Protocol.Undeliverable u) {
            complete(p, null, new ActorTerminatedException("Ask to [" + u.targetPath() + "] failed (message type ["
                    + p.messageType() + "]): " + u.reason(), null));
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
            if (e.getValue().target().processName().equals(process)) {
                Pending p = remove(e.getKey());
                if (p != null) {
                    complete(p, null, terminated(p, status));
                }
            }
        }
    }

    public static ActorTerminatedException terminated(RefImpl target, String messageType, ExitStatus status) {
        return new ActorTerminatedException("Ask to [" + target.path() + "] failed (message type [" + messageType
                + "]): its process [" + target.processName() + "] exited: " + status, status);
    }

    private static ActorTerminatedException terminated(Pending p, ExitStatus status) {
        return terminated(p.target(), p.messageType(), status);
    }

    /** Fails every pending ask, e.g. when the system closes. */
    void failAll(String reason) {
        for (Long id : pending.keySet()) {
            Pending p = remove(id);
            if (p != null) {
                complete(p, null, new ActorTerminatedException("Ask to [" + p.target().path() + "] failed (message type ["
                        + p.messageType() + "]): " + reason, null));
            }
        }
    }

    private void timeOut(long id) {
        Pending p = pending.remove(id);
        if (p != null) {
            complete(p, null, new AskTimeoutException(p.target().path(), p.messageType(), p.timeout(),
                    processAlive.test(p.target().processName())));
        }
    }

    private Pending remove(long id) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.timer().cancel(false);
        }
        return p;
    }

    private void complete(Pending p, Object value, Throwable error) {
        executor.execute(() -> {
            if (error != null) {
                p.future().completeExceptionally(error);
            } else {
                p.future().complete(value);
            }
        });
    }
}
