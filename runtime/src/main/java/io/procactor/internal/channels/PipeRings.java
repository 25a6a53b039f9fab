package io.procactor.internal.channels;

import io.procactor.internal.core.shm.MappedSegment;
import io.procactor.internal.wire.ChannelMessages;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A pipe's items in shared memory ({@code PipeEnd} when both ends are on this host): one
 * {@link ShmRing} per direction, ring {@code e} carrying what is sent to end {@code e}, and per end
 * whether it is closed and why. An end is closed by {@code close()} or by the pipe's host when a
 * process that used the end exits (the host watches them): its state word goes from open to
 * closed after the reason text is written. A receiver that finds its ring empty and the other end
 * closed has end of stream (it looks at the state before the ring, so it drains everything sent
 * before the close); a sender to a closed end fails.
 *
 * <p>Layout: state of end 0 and end 1 (ints at 0 and 4), reason texts (at 64 and 320: length,
 * UTF-8), then ring 0 at {@value #RING0} and ring 1 after it.
 *
 * <p>Thread-safe.
 */
public final class PipeRings {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int OPEN = 0;
    private static final int CLOSING = 2;
    private static final int CLOSED = 1;
    private static final int REASON = 64;
    private static final int REASON_BYTES = 250;
    static final int RING0 = 640;
    /** Answer of {@link #recv} when nothing came in time. */
    public static final ChannelMessages.Refused TIMED_OUT = new ChannelMessages.Refused(ChannelMessages.TIMEOUT, "");

    private final MappedSegment segment;
    private final ByteBuffer buf;
    private final ShmRing[] rings;
    private final String what;

    private PipeRings(MappedSegment segment, int size, String what) {
        this.segment = segment;
        this.buf = segment.data();
        java.nio.file.Path bells = ChannelMemory.bellDir(segment);
        this.rings = new ShmRing[] {new ShmRing(buf, RING0, size, Integer.MAX_VALUE, bells),
                new ShmRing(buf, RING0 + ShmRing.bytesFor(size), size, Integer.MAX_VALUE, bells)};
        this.what = what;
    }

    /** The bytes the segment of a pipe with rings of {@code size} takes. */
    public static int segmentBytes(int size) {
        return RING0 + 2 * ShmRing.bytesFor(size);
    }

    /** Over the segment the node just created (and registers it for this process's other handles). */
    public static PipeRings created(MappedSegment segment, int size, String what) {
        PipeRings p = new PipeRings(segment, size, what);
        ChannelMemory.created(segment.id().path(), p);
        return p;
    }

    /**
     * This process's view of the pipe at {@code path}, mapped on first use.
     *
     * @throws IllegalStateException when the segment is gone
     */
    public static PipeRings of(String path, long token, int size, String what) {
        return ChannelMemory.mapped(path, token, segmentBytes(size), what, m -> new PipeRings(m, size, what));
    }

    public int maxInline() {
        return rings[0].maxInline();
    }

    /** Closes {@code end} for good, giving {@code because}; the first reason given stays. */
    public void closeEnd(int end, String because) {
        if (segment.isClosed() || !INTS.compareAndSet(buf, 4 * end, OPEN, CLOSING)) {
            return;
        }
        byte[] text = because.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, REASON_BYTES);
        int at = REASON + end * 256;
        buf.putShort(at, (short) n);
        buf.put(at + 2, text, 0, n);
        INTS.setRelease(buf, 4 * end, CLOSED);
        for (ShmRing r : rings) { // whoever waits on either direction sees the close now
            r.readers.wake();
            r.writers.wake();
        }
    }

    private boolean isClosed(int end) {
        return (int) INTS.getAcquire(buf, 4 * end) != OPEN;
    }

    private String reason(int end) {
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
        while ((int) INTS.getAcquire(buf, 4 * end) == CLOSING) {
            if (System.nanoTime() > giveUp) { // the closer died between its two writes: the text never comes
                return "closed (the process closing it died while it did)";
            }
            Thread.onSpinWait(); // the closer is writing the text: a few bytes
        }
        int at = REASON + end * 256;
        byte[] text = new byte[buf.getShort(at)];
        buf.get(at + 2, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private ChannelMessages.Refused gone() {
        return segment.isClosed() ? new ChannelMessages.Refused(ChannelMessages.CLOSED, what + " is gone: its actor system is closed. "
                + "Objects live as long as the system that created them") : null;
    }

    private ChannelMessages.Refused closedHere(int end) {
        return new ChannelMessages.Refused(ChannelMessages.CLOSED, "end " + end + " of " + what + " is closed (" + reason(end)
                + "); nothing can go through it");
    }

    /** The end of stream at {@code end}: the other end is closed and everything it sent was received. */
    private ChannelMessages.Refused endOfStream(int end) {
        return new ChannelMessages.Refused(ChannelMessages.END_OF_STREAM, "end of stream at end " + end + " of " + what
                + ": everything sent was received and " + reason(1 - end));
    }

    /**
     * Sends the (one) item in {@code item} from {@code end} to the other end, waiting while its ring
     * is full. Returns null when sent, or why it cannot be: this end closed (CLOSED) or the other
     * end closed (END_OF_STREAM, as the receiver would see it).
     */
    public ChannelMessages.Refused send(int end, ShmRing.Encoded item) {
        ShmRing ring = rings[1 - end];
        int bytes = item.recordBytes();
        Idle idle = null;
        try {
            while (true) {
                ChannelMessages.Refused r = gone();
                if (r != null) {
                    return r;
                }
                if (isClosed(end)) {
                    return closedHere(end);
                }
                if (isClosed(1 - end)) {
                    return endOfStream(1 - end);
                }
                if (ring.mightFit(1, bytes)) {
                    ring.producers.lock(Long.MAX_VALUE + System.nanoTime()); // no deadline: a dead holder's lock is taken over
                    boolean written;
                    try {
                        written = ring.tryWrite(item);
                    } finally {
                        ring.producers.unlock();
                    }
                    if (written) {
                        ring.readers.wake();
                        return null;
                    }
                }
                if (idle == null) {
                    idle = Idle.forReply(ring.writers, Long.MAX_VALUE + System.nanoTime());
                }
                idle.idle();
            }
        } finally {
            if (idle != null) {
                idle.done();
            }
        }
    }

    /**
     * Receives the next item at {@code end} into {@code out}, waiting until {@code deadline}.
     * Returns null when one came, {@link #TIMED_OUT}, or the end of stream or closed refusal.
     */
    public ChannelMessages.Refused recv(int end, long deadline, ShmRing.Encoded out) {
        ShmRing ring = rings[end];
        Idle idle = null;
        try {
            while (true) {
                ChannelMessages.Refused r = gone();
                if (r != null) {
                    return r;
                }
                if (isClosed(end)) {
                    return closedHere(end);
                }
                boolean otherClosed = isClosed(1 - end); // before the ring: what was sent before the close is seen
                if (!ring.isEmpty()) {
                    if (ring.readLocked(1, out, deadline) > 0) {
                        return null;
                    }
                } else if (otherClosed) {
                    return endOfStream(end);
                }
                if (System.nanoTime() - deadline >= 0) {
                    return TIMED_OUT;
                }
                if (idle == null) {
                    idle = Idle.forReply(ring.readers, deadline);
                }
                idle.idle();
            }
        } finally {
            if (idle != null) {
                idle.done();
            }
        }
    }
}
