package io.procactor;

import io.procactor.internal.wire.ChannelMessages;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One end of a {@link Pipe} (Python's {@code Connection}). What one end sends, the other receives,
 * in order. This object is a small handle: pass it to another process inside a message or as a
 * {@link Props} argument, and use it there. The pipe itself lives in an actor of the node, which
 * keeps what was sent until it is received (there is no buffer limit).
 *
 * <p>End of stream: once one end is closed, or a process that used it exits (however: stopped,
 * crashed, SIGKILLed), the other end receives what is left and then gets a
 * {@link PipeClosedException}; sending to it fails the same way. The node learns which process
 * holds an end when that process first sends or receives on it.
 *
 * <p>Thread-safe: any thread of any process may call any method; {@link #recv} blocks only the caller.
 *
 * @param <T> the item type
 */
public final class PipeEnd<T> {
    private final String pipe;
    private final int end;
    private final ActorRef host;
    private final long system;

    PipeEnd(String pipe, int end, ActorRef host, long system) {
        this.pipe = pipe;
        this.end = end;
        this.host = host;
        this.system = system;
    }

    /**
     * Sends {@code item} to the other end (Python's {@code conn.send}); returns once the pipe holds it.
     * The item must be a registered message type.
     *
     * @throws PipeClosedException if the other end is closed or its process exited
     * @throws ChannelClosedException if this end is closed
     * @throws IllegalArgumentException if the item is null, or this is the receive-only end of a one-way pipe
     */
    public void send(T item) {
        if (item == null) {
            throw new IllegalArgumentException(what() + " cannot send null; send a value");
        }
        Channels.quick(what(), host, new ChannelMessages.PipeSend(system, end, item));
    }

    /**
     * Receives the next item, waiting up to {@code timeout} (Python's {@code conn.recv()}). Not
     * interruptible (see {@link ProcessQueue}): an interrupt is set again on return.
     *
     * @throws TimeoutException if nothing arrived within {@code timeout}
     * @throws PipeClosedException at end of stream: the other end was closed or its process exited, and all it sent was received
     * @throws ChannelClosedException if this end is closed
     */
    public T recv(Duration timeout) throws TimeoutException {
        long wait = Channels.waitNanos(what(), timeout);
        @SuppressWarnings("unchecked")
        T item = (T) Channels.waiting(what(), host, new ChannelMessages.PipeRecv(system, end, wait), wait);
        return item;
    }

    /** Closes this end (Python's {@code conn.close()}): the other end gets end of stream after what was sent. Harmless twice. */
    public void close() {
        Channels.quick(what(), host, new ChannelMessages.PipeClose(system, end));
    }

    private String what() {
        return "end " + end + " of pipe [" + pipe + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipeEnd<?> p && p.host.equals(host) && p.end == end && p.system == system;
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + end;
    }

    @Override
    public String toString() {
        return "PipeEnd[" + pipe + ", end " + end + "]";
    }
}
