package io.procactor.internal.pool;

import io.procactor.ActorCreationException;
import io.procactor.ActorException;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import io.procactor.MailboxOverflowException;
import io.procactor.MessageSerializationException;
import io.procactor.RemoteActorException;
import io.procactor.internal.core.Failures;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.List;

/**
 * The wording of a pool's failures: which task or which inputs, on which worker, why, and whether
 * resending was tried. A failed map keeps the type of its first failure (callers catch
 * {@link RemoteActorException} and the like), with a message that says it was a map and what was
 * lost. Stateless; thread-safe.
 */
final class PoolFailures {
    /** How many failed indices a map's message lists. */
    static final int INDICES_SHOWN = 5;

    private PoolFailures() {
    }

    /** A failure a worker sent back for one item. */
    static ActorException remote(Protocol.Failure f) {
        RemoteActorException remote = Failures.remote(f.className(), f.message(), f.stackTrace(), f.actorPath());
        if (MessageSerializationException.class.getName().equals(f.className())) {
            // the worker could not send this item's reply: the same exception a send on the node throws
            return new MessageSerializationException(f.message(), remote);
        }
        return remote;
    }

    /** A result slot's failure, or null when it holds a value. */
    static Throwable failureOf(Object result) {
        if (result instanceof Protocol.Failure f) {
            return remote(f);
        }
        if (result instanceof Protocol.MailboxFull m) { // the worker's full mailbox refused the task's batch
            return new MailboxOverflowException("Task sent to [" + m.targetPath() + "] failed: its mailbox was full ("
                    + m.capacity() + " messages) and refused the batch; raise procactor.mailbox.capacity, or set "
                    + "procactor.mailbox.overflow = block so that the pool waits for room");
        }
        return result instanceof WorkUnit.ItemFailure i ? i.error() : null;
    }

    /** The work of a worker that exited, not resent (any more). */
    static ActorTerminatedException workerLost(String pool, PoolWorker w, WorkUnit u, ExitStatus status, int retries) {
        String resent = retries == 0 ? "it was not resent (PoolOptions.retries is 0)"
                : u.attempts >= retries ? "retries exhausted: sent " + (u.attempts + 1) + " times (PoolOptions.retries is " + retries + ")"
                : "not resent: the pool was terminated";
        return new ActorTerminatedException(what(pool, u) + " failed: its worker [" + w.name + "] exited: " + status + "; " + resent,
                status);
    }

    static AskTimeoutException timedOut(String target, WorkUnit u, Duration timeout, boolean alive) {
        return new AskTimeoutException(target, u.itemType(), timeout, alive);
    }

    static ActorTerminatedException terminated(String pool) {
        return new ActorTerminatedException("pool [" + pool + "] was terminated before the task finished", null);
    }

    static ActorCreationException cannotStart(String pool, ExitStatus status) {
        return new ActorCreationException("pool [" + pool + "]: workers cannot start: " + status);
    }

    /** A broadcast copy for a slot left empty because its worker cannot start. */
    static ActorCreationException slotGivenUp(String pool, int slot) {
        return new ActorCreationException("pool [" + pool + "]: the worker of slot [" + slot + "] cannot start, so a broadcast "
                + "cannot reach every worker");
    }

    private static String what(String pool, WorkUnit u) {
        return (u.items.size() == 1 ? "Task of type [" + u.itemType() + "]" : u.items.size() + " tasks (first of type ["
                + u.itemType() + "])") + " on pool [" + pool + "]";
    }

    /** One failed input of a map: its index and why. */
    record Failed(int index, Throwable cause) {
    }

    /**
     * The failure of a whole map: of the type of the first failure in input order, saying
     * {@code "map of N inputs on pool [p] failed: K of N inputs failed; first at indices [..]: [i] cause; ..."}.
     *
     * @param firstFailed the failed inputs of smallest index, in index order (at most {@link #INDICES_SHOWN})
     */
    static RuntimeException mapFailed(String pool, int inputs, int failedCount, List<Failed> firstFailed) {
        StringBuilder b = new StringBuilder("map of ").append(inputs).append(" inputs on pool [").append(pool).append("] failed: ")
                .append(failedCount).append(" of ").append(inputs).append(" inputs failed; first at indices ")
                .append(firstFailed.stream().map(f -> String.valueOf(f.index())).toList()).append(':');
        for (Failed f : firstFailed) {
            b.append(" [").append(f.index()).append("] ").append(f.cause().getClass().getSimpleName()).append(": ")
                    .append(f.cause().getMessage()).append(';');
        }
        b.setLength(b.length() - 1);
        return sameType(firstFailed.get(0).cause(), b.toString());
    }

    /** An exception of {@code first}'s type (its fields kept) whose message is {@code message}, caused by {@code first}. */
    private static RuntimeException sameType(Throwable first, String message) {
        RuntimeException e;
        if (first instanceof RemoteActorException r) {
            e = new MapRemoteFailure(r, message);
        } else if (first instanceof AskTimeoutException t) {
            e = new MapTimeout(t, message);
        } else if (first instanceof ActorTerminatedException t) {
            e = new ActorTerminatedException(message, t.exitStatus().orElse(null));
        } else if (first instanceof MessageSerializationException) {
            return new MessageSerializationException(message, first);
        } else if (first instanceof ActorCreationException) {
            return new ActorCreationException(message, first);
        } else {
            return new ActorException(message, first);
        }
        e.initCause(first);
        return e;
    }

    private static final class MapRemoteFailure extends RemoteActorException {
        private final String message;

        MapRemoteFailure(RemoteActorException first, String message) {
            super(first.actorPath(), first.remoteClassName(), first.remoteMessage(), first.remoteStackTrace());
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    private static final class MapTimeout extends AskTimeoutException {
        private final String message;

        MapTimeout(AskTimeoutException first, String message) {
            super(first.target(), "", first.timeout(), true);
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
