package io.procactor;

import io.procactor.internal.wire.ChannelMessages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What the handles of node-hosted objects share: one operation is one ask to the object's host,
 * and the host's refusals become the exceptions users see. Package-private.
 *
 * <p>Thread-safe: stateless.
 */
final class Channels {
    /**
     * How much longer than the wait it asked for a handle waits for the host's answer. The host ends
     * the wait itself, so this only covers the trip back; it is long so that an item the host hands
     * out is never dropped by an ask that gave up a moment too early.
     */
    static final Duration REPLY_GRACE = Duration.ofSeconds(30);
    /** Bound of operations that never wait in the host (size, close, set, map operations). */
    static final Duration QUICK = Duration.ofSeconds(30);

    private Channels() {
    }

    /** The wait in nanoseconds, checked. */
    static long waitNanos(String what, Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("timeout for " + what + " is null; give how long to wait, such as Duration.ofSeconds(10)");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout for " + what + " must be zero or more, was [" + timeout + "]");
        }
        return timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos(); // no overflow
    }

    /**
     * An operation that may wait up to {@code waitNanos} in the host. Not interruptible: an item
     * the host hands out must reach the caller, and the host answers by the end of the wait anyway;
     * an interrupt is kept and set again on return.
     */
    static Object waiting(String what, ActorRef host, Object op, long waitNanos) throws TimeoutException {
        CompletableFuture<Object> f = ask(what, host, op, Duration.ofNanos(waitNanos).plus(REPLY_GRACE));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return checked(f.get());
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw translate(what, e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static CompletableFuture<Object> ask(String what, ActorRef host, Object op, Duration timeout) {
        try {
            return io.procactor.internal.core.BlockingAsk.ask(host, op, timeout); // we only block on it
        } catch (java.util.concurrent.RejectedExecutionException e) { // the runtime of this process shut down
            throw new ChannelClosedException(what + " is gone: the actor system of this process is closed. Objects live as "
                    + "long as the system that created them; create it again in a running system", e);
        }
    }

    /** An operation that does not wait in the host. */
    static Object quick(String what, ActorRef host, Object op) {
        Object reply;
        try {
            reply = ask(what, host, op, QUICK).join();
        } catch (CompletionException e) {
            throw translate(what, e.getCause());
        }
        try {
            return checked(reply);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** An operation that does not wait in the host and may be refused as timed out: then false. */
    static boolean quickTry(String what, ActorRef host, Object op) {
        try {
            return Boolean.TRUE.equals(quick(what, host, op));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof TimeoutException) {
                return false;
            }
            throw e;
        }
    }

    /** Like {@link #quick}, but a refusal is returned rather than thrown. */
    static Object quickRaw(String what, ActorRef host, Object op) {
        try {
            return ask(what, host, op, QUICK).join();
        } catch (CompletionException e) {
            throw translate(what, e.getCause());
        }
    }

    /**
     * Why a queue's or pipe's ring could not be mapped here: its system closed it, or this process
     * runs on another host than the node that made it (the rings are shared memory of that host).
     */
    static ChannelClosedException ringUnreachable(String what, String ringPath, IllegalStateException cause) {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(ringPath))) {
            return new ChannelClosedException(what + " cannot be used in this process: its items are in shared memory ["
                    + ringPath + "] that is not here, either because its actor system closed it or because this process runs "
                    + "on another host than the node that created it; use it from processes on the node's host", cause);
        }
        return new ChannelClosedException(what + " is gone: " + cause.getMessage(), cause);
    }

    /** The exception a refusal stands for. */
    static RuntimeException refusal(ChannelMessages.Refused r) {
        try {
            checked(r);
        } catch (TimeoutException e) {
            return new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            return e;
        }
        return new IllegalStateException(r.message());
    }

    private static Object checked(Object reply) throws TimeoutException {
        if (reply instanceof ChannelMessages.Refused r) {
            switch (r.kind()) {
                case ChannelMessages.TIMEOUT -> throw new TimeoutException(r.message());
                case ChannelMessages.CLOSED -> throw new ChannelClosedException(r.message());
                case ChannelMessages.END_OF_STREAM -> throw new PipeClosedException(r.message());
                case ChannelMessages.MISUSE -> throw new IllegalArgumentException(r.message());
                default -> throw new IllegalStateException(r.message());
            }
        }
        return reply;
    }

    private static RuntimeException translate(String what, Throwable cause) {
        if (cause instanceof ActorTerminatedException e) {
            return new ChannelClosedException(what + " is gone: " + e.getMessage()
                    + ". Objects live as long as the system that created them; create it again in a running system", e);
        }
        if (cause instanceof AskTimeoutException e) {
            return new IllegalStateException(what + " did not answer: " + e.getMessage(), e);
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        return new IllegalStateException(what + " failed: " + cause, cause);
    }
}
