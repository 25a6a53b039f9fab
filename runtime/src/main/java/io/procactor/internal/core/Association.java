package io.procactor.internal.core;

import io.procactor.transport.Connection;
import io.procactor.transport.Transport;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The way to one other process. Until its connection exists, messages wait here in order; then
 * they are flushed before any later message.
 *
 * <p>Threads: thread-safe. {@link #send} on any sender thread (user, dispatcher, or I/O when the
 * node relays; only non-I/O senders ever wait for room); {@link #attach} on the thread that
 * completed the connection; {@link #close} on the thread that learnt the process went down.
 * Senders after the flush go straight to the connection without a lock; the waiting queue is
 * guarded by this object's monitor.
 */
public final class Association {
    private final String process;
    private final BiConsumer<Object, RuntimeException> unsendable;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private volatile Connection connection;
    private volatile boolean closed;

    /**
     * @param unsendable told about a waiting message that could not be sent when the connection came
     *                   (its encoding failed, or the link closed first)
     */
    Association(String process, BiConsumer<Object, RuntimeException> unsendable) {
        this(process, unsendable, 0, Integer.MAX_VALUE);
    }

    /**
     * @param blockMillis how long a sender (not an I/O thread) waits for room: in the connection's
     *                    outbound buffer, or, before the connection exists, among the waiting messages
     * @param maxWaiting  messages that may wait for the connection before senders wait too, as for a
     *                    full mailbox (a producer flooding a peer whose address was still being
     *                    resolved queued 60,000 messages, and flushing them at once ran its JVM out of
     *                    direct memory)
     */
    Association(String process, BiConsumer<Object, RuntimeException> unsendable, long blockMillis, int maxWaiting) {
        this.process = process;
        this.unsendable = unsendable;
        this.blockMillis = blockMillis;
        this.maxWaiting = maxWaiting;
    }

    private final long blockMillis;
    private final int maxWaiting;

    String process() {
        return process;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Sends now or queues until {@link #attach}. Encoding errors of a direct send reach the caller.
     * A sender that is not an I/O thread waits while the connection's outbound buffer is full
     * (up to {@code blockMillis}): backpressure, so a fast producer cannot fill its own heap.
     */
    public void send(Object message) {
        send(message, true);
    }

    /**
     * Like {@link #send(Object)}, but never waits for room when {@code mayWait} is false: for a
     * sender that holds a lock an I/O thread needs (a pool's dispatcher: the I/O thread that would
     * flush this connection may be waiting for that lock to hand over a result), and whose own
     * limit on what it has in flight bounds what it queues.
     */
    public void send(Object message, boolean mayWait) {
        Connection c = connection;
        if (c != null) {
            if (mayWait && !c.isWritable() && blockMillis > 0 && !Transport.isIoThread()) {
                try {
                    c.awaitWritable(blockMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sendOn(c, message);
            return;
        }
        synchronized (this) {
            if (mayWait) {
                awaitRoom();
            }
            c = connection;
            if (c == null && !closed) {
                waiting.add(message);
                return;
            }
        }
        if (c != null) {
            sendOn(c, message);
        } else {
            unsendable.accept(message, new IllegalStateException("process [" + process + "] is gone"));
        }
    }

    /** Holding the lock: waits (up to {@code blockMillis}) while many messages wait for the connection. */
    private void awaitRoom() {
        if (blockMillis <= 0 || Transport.isIoThread()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(blockMillis);
        while (connection == null && !closed && waiting.size() >= maxWaiting) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return; // queued anyway: accepted messages are never dropped here
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A connection that closed under us (its process died) refuses the message: never drop it silently. */
    private void sendOn(Connection c, Object message) {
        if (!c.send(message)) {
            unsendable.accept(message, new IllegalStateException("the connection to process [" + process + "] closed"));
        }
    }

    /**
     * The connection is up: flush what waited, in order, then send directly. False, and nothing
     * attached, when this association was closed first (its process went down meanwhile): a closed
     * association never sends again, so an ask sent on it after the process went down fails at
     * once instead of going to a connection nobody reads. The caller then owns {@code c}.
     */
    public synchronized boolean attach(Connection c) {
        if (closed) {
            return false;
        }
        try {
            Object m;
            while ((m = waiting.poll()) != null) {
                try {
                    sendOn(c, m);
                } catch (RuntimeException e) {
                    unsendable.accept(m, e);
                }
            }
        } finally {
            // even after an Error (out of direct memory): a link left unattached would hold every later message
            connection = c;
            notifyAll();
        }
        return true;
    }

    /** No more sending: what still waits is handed to {@code unsendable}. */
    public void close() {
        Object[] left;
        synchronized (this) {
            closed = true;
            connection = null;
            left = waiting.toArray();
            waiting.clear();
            notifyAll();
        }
        for (Object m : left) {
            unsendable.accept(m, new IllegalStateException("process [" + process + "] is gone"));
        }
    }

    boolean isClosed() {
        return closed;
    }
}
