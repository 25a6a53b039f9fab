package io.procactor;

import io.procactor.internal.channels.PipeInbox;
import io.procactor.internal.channels.PipeRings;
import io.procactor.internal.channels.RingCodec;
import io.procactor.internal.channels.ShmRing;
import io.procactor.internal.wire.ChannelMessages;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One end of a {@link Pipe} (Python's {@code Connection}). What one end sends, the other receives,
 * in order. This object is a small handle: pass it to another process inside a message or as a
 * {@link Props} argument, and use it there. The items go through shared memory: one ring buffer
 * per direction (256 KiB), made by the node and mapped by each process on first use; {@code send}
 * writes the encoded item into the other end's ring (waiting only while it is full) and
 * {@code recv} copies it out, with no round trip. An item larger than a quarter of the ring is
 * kept by the pipe's host actor in the node and its id goes through the ring in its place. Without
 * usable shared memory items go through the host actor instead. An end is meant to be used by one
 * process at a time, as Python's {@code Connection}; if several processes receive at one end, each
 * item goes to one of them.
 *
 * <p>End of stream: once one end is closed, or a process that used it exits (however: stopped,
 * crashed, SIGKILLed), the other end receives what is left and then gets a
 * {@link PipeClosedException}; sending to it fails the same way. The node learns which process
 * holds an end when that process first sends or receives on it (one round trip), watches it, and
 * marks the end closed in the shared memory, with the reason, when it exits.
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
    /** The pipe's ring segment in shared memory, or null when it has none (then items go through the host). */
    private final String ringPath;
    private final long ringToken;
    private final int ringSize;
    private transient volatile PipeRings rings;

    PipeEnd(String pipe, int end, ActorRef host, long system, PipeRings rings, String ringPath, long ringToken, int ringSize) {
        this.pipe = pipe;
        this.end = end;
        this.host = host;
        this.system = system;
        this.rings = rings;
        this.ringPath = ringPath;
        this.ringToken = ringToken;
        this.ringSize = ringSize;
    }

    /** This process's view of the pipe's rings, mapped on first use (after the host accepted this handle). */
    private PipeRings rings() {
        PipeRings r = rings;
        if (r == null) {
            try {
                r = PipeRings.of(ringPath, ringToken, ringSize, "pipe [" + pipe + "]");
            } catch (IllegalStateException e) {
                throw Channels.ringUnreachable(what(), ringPath, e);
            }
            rings = r;
        }
        return r;
    }

    private void sendThroughRing(T item) {
        ShmRing.Encoded e = RingCodec.putScratch();
        try {
            sendThroughRing(item, e);
        } finally {
            RingCodec.done(e); // small again: one huge item does not pin its size per thread
        }
    }

    private void sendThroughRing(T item, ShmRing.Encoded e) {
        PipeRings r = rings();
        RingCodec.add(host, item, e, what(), "send");
        if (e.length(0) > r.maxInline()) { // too big for the ring: the host keeps it, its id goes in its place
            e.spill(0, (Long) Channels.quick(what(), host, new ChannelMessages.Spill(system, item)));
        }
        ChannelMessages.Refused refused = r.send(end, e);
        if (refused == null) {
            return;
        }
        if (e.spillId(0) != 0) {
            Channels.quickRaw(what(), host, new ChannelMessages.Unspill(system, e.spillId(0)));
        }
        if (refused.kind() == ChannelMessages.END_OF_STREAM) {
            throw new PipeClosedException("the other end of pipe [" + pipe + "] is closed: nobody will receive this item ("
                    + refused.message() + ")");
        }
        throw Channels.refusal(refused);
    }

    private T recvFromRing(long wait) throws TimeoutException {
        ShmRing.Encoded out = RingCodec.takeScratch();
        try {
            return recvFromRing(wait, out);
        } finally {
            RingCodec.done(out);
        }
    }

    private T recvFromRing(long wait, ShmRing.Encoded out) throws TimeoutException {
        ChannelMessages.Refused refused = rings().recv(end, System.nanoTime() + wait, out);
        if (refused == PipeRings.TIMED_OUT) {
            throw new TimeoutException("nothing arrived at " + what() + " within " + Duration.ofNanos(wait).toMillis() + " ms");
        }
        if (refused != null) {
            throw Channels.refusal(refused);
        }
        Object o = out.spillId(0) != 0
                ? ((ChannelMessages.Value) Channels.quick(what(), host, new ChannelMessages.Unspill(system, out.spillId(0)))).value()
                : RingCodec.decode(host, out, 0);
        @SuppressWarnings("unchecked")
        T item = (T) o;
        return item;
    }

    /**
     * Sends {@code item} to the other end (Python's {@code conn.send}): returns once it is in the
     * pipe, waiting only while the pipe's buffer is full (as an OS pipe's {@code write}; the buffer
     * holds 256 KiB per direction, so two processes that both send a lot before either receives
     * wait for each other, as with Python's {@code Pipe}; close the other end or receive). The item
     * must be a registered message type. Items in the pipe when the other end closes are dropped
     * (as an OS pipe's buffer is when its reader exits).
     *
     * @throws PipeClosedException if the other end is known to be closed or its process exited
     * @throws ChannelClosedException if this end is closed
     * @throws IllegalArgumentException if the item is null or cannot cross processes, or this is the receive-only end of a one-way pipe
     */
    public void send(T item) {
        if (item == null) {
            throw new IllegalArgumentException(what() + " cannot send null; send a value");
        }
        PipeInbox in = inbox();
        if (!in.duplex() && end == 0) {
            throw new IllegalArgumentException("pipe [" + pipe + "] is one-way: end 0 only receives; send at end 1");
        }
        ChannelMessages.Refused ended = in.ended();
        if (ended != null) {
            if (ended.kind() == ChannelMessages.END_OF_STREAM) {
                throw new PipeClosedException("the other end of pipe [" + pipe + "] is closed: nobody will receive this item ("
                        + ended.message() + ")");
            }
            throw Channels.refusal(ended);
        }
        if (ringPath != null) {
            sendThroughRing(item);
            return;
        }
        try {
            io.procactor.internal.core.ProcessWatch.requireEncodable(host, item);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what() + " cannot send [" + item.getClass().getName() + "]: " + e.getMessage(), e);
        }
        host.tell(new ChannelMessages.PipeSend(system, end, item), in.ref());
    }

    /**
     * Receives the next item, waiting up to {@code timeout} (Python's {@code conn.recv()}): a wait
     * on shared memory that spins briefly, then parks with growing sleeps. Not interruptible: an
     * interrupt is set again on return.
     *
     * @throws TimeoutException if nothing arrived within {@code timeout}
     * @throws PipeClosedException at end of stream: the other end was closed or its process exited, and all it sent was received
     * @throws ChannelClosedException if this end is closed
     */
    public T recv(Duration timeout) throws TimeoutException {
        long wait = Channels.waitNanos(what(), timeout);
        PipeInbox in = inbox();
        if (!in.duplex() && end == 1) {
            throw new IllegalArgumentException("pipe [" + pipe + "] is one-way: end 1 only sends; receive at end 0");
        }
        if (ringPath != null) {
            ChannelMessages.Refused ended = in.ended();
            if (ended != null && ended.kind() != ChannelMessages.END_OF_STREAM) {
                throw Channels.refusal(ended); // closed here, or the system closes
            }
            return recvFromRing(wait);
        }
        Object o = in.poll(wait);
        if (o == null) {
            throw new TimeoutException("nothing arrived at " + what() + " within " + Duration.ofNanos(wait).toMillis() + " ms");
        }
        if (o instanceof ChannelMessages.Refused r) {
            throw Channels.refusal(r);
        }
        @SuppressWarnings("unchecked")
        T item = (T) o;
        return item;
    }

    /**
     * Closes this end (Python's {@code conn.close()}): the other end gets end of stream after what
     * was sent. What arrived here and was not received yet is dropped. Harmless twice.
     */
    public void close() {
        if (ringPath != null) {
            rings().closeEnd(end, "its end " + end + " was closed"); // at once; the host's notice follows
        }
        Channels.quick(what(), host, new ChannelMessages.PipeClose(system, end));
        PipeInbox in = PipeInbox.existing(host, system, end);
        if (in != null) {
            in.closed(new ChannelMessages.Refused(ChannelMessages.CLOSED, what() + " is closed; nothing can go through it"));
        }
    }

    /** This process's inbox for this end, registered with the host on first use. */
    private PipeInbox inbox() {
        PipeInbox in = PipeInbox.existing(host, system, end);
        if (in != null) {
            return in;
        }
        Object opened = PipeInbox.of(host, system, end, (h, op) -> Channels.quickRaw(what(), h, op),
                inboxRef -> new ChannelMessages.PipeOpen(system, end, inboxRef));
        if (opened instanceof ChannelMessages.Refused r) {
            throw Channels.refusal(r);
        }
        return (PipeInbox) opened;
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
