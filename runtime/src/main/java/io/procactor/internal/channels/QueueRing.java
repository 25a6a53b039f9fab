package io.procactor.internal.channels;

import io.procactor.internal.core.shm.MappedSegment;
import io.procactor.internal.wire.ChannelMessages;
import java.util.concurrent.TimeUnit;

/**
 * A queue's items in shared memory ({@code ProcessQueue} when both ends are on this host): one
 * {@link ShmRing} that every process maps. A put takes the producer lock, writes and publishes;
 * a take takes the consumer lock, copies the oldest records out and frees them; so an item is in
 * the queue from the moment its put returns until one take returns it: nothing is leased in a
 * process, and a process killed anywhere loses at most the items a take of it was returning.
 * Records a take copied out but could not hand out (one after an item that failed to decode) wait
 * in this process's {@link #pending()} list, which its next take serves first. Waiting (for room,
 * for an item, for a lock) backs off from spinning to parking ({@link Idle}) and gives up at its
 * deadline. Close marks the ring closed under the producer
 * lock: later puts fail, takes drain what is left and then fail.
 *
 * <p>Thread-safe.
 */
public final class QueueRing {
    /** Answers of {@link #put}. */
    public static final ChannelMessages.Refused TIMED_OUT = new ChannelMessages.Refused(ChannelMessages.TIMEOUT, "");

    private final MappedSegment segment;
    private final ShmRing ring;
    private final String what;
    private final int capacity;
    /**
     * Records this process copied out of the ring and has not handed out yet, oldest first: a
     * {@code byte[]} (an encoded item), a {@code Long} (a spill id) or a {@link Decoded}. Guarded
     * by itself; a take serves them first, holding the monitor (the rare path: nothing else waits).
     */
    private final java.util.ArrayDeque<Object> pending = new java.util.ArrayDeque<>();
    private volatile boolean hasPending;

    /** An item of {@link #pending} already decoded (fetched from the host, as spilled items are). */
    public record Decoded(Object value) {
    }

    private QueueRing(MappedSegment segment, int size, int capacity, String what) {
        this.segment = segment;
        this.ring = new ShmRing(segment.data(), 0, size, capacity, ChannelMemory.bellDir(segment));
        this.capacity = capacity;
        this.what = what;
    }

    /** The bytes the segment of a queue with a ring of {@code size} takes. */
    public static int segmentBytes(int size) {
        return ShmRing.bytesFor(size);
    }

    /** Over the segment the node just created (and registers it for this process's other handles). */
    public static QueueRing created(MappedSegment segment, int size, int capacity, String what) {
        QueueRing q = new QueueRing(segment, size, capacity, what);
        ChannelMemory.created(segment.id().path(), q);
        return q;
    }

    /**
     * This process's view of the queue ring at {@code path}, mapped on first use.
     *
     * @throws IllegalStateException when the segment is gone
     */
    public static QueueRing of(String path, long token, int size, int capacity, String what) {
        return ChannelMemory.mapped(path, token, segmentBytes(size), what, m -> new QueueRing(m, size, capacity, what));
    }

    public int maxInline() {
        return ring.maxInline();
    }

    /** Ring bytes. */
    public int size() {
        return ring.size();
    }

    /** A refusal when the queue's system removed it, else null. */
    private ChannelMessages.Refused gone() {
        return segment.isClosed() ? new ChannelMessages.Refused(ChannelMessages.CLOSED, what + " is gone: its actor system is closed. "
                + "Objects live as long as the system that created them; create it again in a running system") : null;
    }

    private ChannelMessages.Refused closedForPuts() {
        return new ChannelMessages.Refused(ChannelMessages.CLOSED, what + " is closed: nothing more can be put into it");
    }

    /**
     * Puts every item of {@code batch} at once when there is room for all, waiting until
     * {@code deadline}, or only while another process holds the lock when {@code once} (Python's
     * {@code put_nowait}). Returns null when put, {@link #TIMED_OUT}, or the refusal.
     */
    public ChannelMessages.Refused put(ShmRing.Encoded batch, long deadline, boolean once) {
        if (once) {
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // a live holder keeps the lock for microseconds
        }
        int bytes = batch.recordBytes();
        boolean written;
        Idle idle = null;
        try {
            while (true) {
                ChannelMessages.Refused r = gone();
                if (r != null) {
                    return r;
                }
                if (ring.isClosed()) {
                    return closedForPuts();
                }
                if (ring.mightFit(batch.count, bytes)) {
                    if (!ring.producers.lock(deadline)) {
                        return TIMED_OUT;
                    }
                    try {
                        if (ring.isClosed()) {
                            return closedForPuts();
                        }
                        written = ring.tryWrite(batch);
                    } finally {
                        ring.producers.unlock();
                    }
                    if (written) {
                        ring.readers.wake();
                        return null;
                    }
                }
                if (once || System.nanoTime() - deadline >= 0) {
                    return TIMED_OUT;
                }
                if (idle == null) {
                    idle = Idle.forQueue(ring.writers, deadline);
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
     * Takes 1 to {@code max} items into {@code out}, waiting until {@code deadline} for the first.
     * Returns null when it took some, {@link #TIMED_OUT}, or the refusal (closed and empty).
     */
    public ChannelMessages.Refused take(int max, long deadline, ShmRing.Encoded out) {
        Idle idle = null;
        try {
            while (true) {
                ChannelMessages.Refused r = gone();
                if (r != null) {
                    return r;
                }
                boolean closed = ring.isClosed(); // before looking at the tail: every put that precedes the close is seen
                if (!ring.isEmpty()) {
                    int n = ring.readLocked(max, out, deadline);
                    if (n < 0) {
                        return TIMED_OUT;
                    }
                    if (n > 0) {
                        return null;
                    }
                } else if (closed) {
                    return new ChannelMessages.Refused(ChannelMessages.CLOSED, what + " is closed and empty: nothing more will come");
                }
                if (System.nanoTime() - deadline >= 0) {
                    return TIMED_OUT;
                }
                if (idle == null) {
                    idle = Idle.forQueue(ring.readers, deadline);
                }
                idle.idle();
            }
        } finally {
            if (idle != null) {
                idle.done();
            }
        }
    }

    /** Items in the queue now. */
    public int count() {
        return ring.count();
    }

    /** Record bytes in use now. */
    public int usedBytes() {
        return ring.usedBytes();
    }

    /** Whether {@code items} more items pass the item bound now (when a put still waits, the ring's bytes stop it). */
    public boolean withinItemBound(int items) {
        return ring.count() + items <= capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Whether this process holds records a take copied out and did not hand out (a cheap check before {@link #pending}). */
    public boolean hasPending() {
        return hasPending;
    }

    /** This process's pending records; hold its monitor while using it and call {@link #pendingChanged} after. */
    public java.util.ArrayDeque<Object> pending() {
        return pending;
    }

    /** Call holding the monitor of {@link #pending} after changing it. */
    public void pendingChanged() {
        hasPending = !pending.isEmpty();
    }

    /**
     * Puts the encoded item {@code record} (a take took it; no other process could decode it here)
     * back at the tail, waiting until {@code deadline} for bytes. The item bound does not apply:
     * the item was counted in the queue when its put returned. Returns whether it is back.
     */
    public boolean putBack(byte[] record, long deadline) {
        ShmRing.Encoded one = new ShmRing.Encoded();
        one.add(record, record.length);
        Idle idle = null;
        try {
            while (gone() == null) {
                if (ring.producers.lock(deadline)) {
                    boolean written;
                    try {
                        written = ring.tryWrite(one, Integer.MAX_VALUE);
                    } finally {
                        ring.producers.unlock();
                    }
                    if (written) {
                        ring.readers.wake();
                        return true;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                if (idle == null) {
                    idle = Idle.forQueue(ring.writers, deadline);
                }
                idle.idle();
            }
            return false;
        } finally {
            if (idle != null) {
                idle.done();
            }
        }
    }

    /**
     * Reports the spill id of every record in the ring now to {@code ids}, holding the consumer lock
     * (waiting until {@code deadline}); false, having reported nothing certain, when the lock did not come.
     */
    public boolean spillIds(long deadline, java.util.function.LongConsumer ids) {
        if (gone() != null || !ring.consumers.lock(deadline)) {
            return false;
        }
        try {
            ring.spillIds(ids);
            return true;
        } finally {
            ring.consumers.unlock();
        }
    }

    /** Closes the queue for puts; harmless twice. Waits for the producer lock (a dead holder's is taken over). */
    public void close() {
        if (gone() != null) {
            return;
        }
        if (!ring.producers.lock(System.nanoTime() + TimeUnit.SECONDS.toNanos(30))) {
            throw new IllegalStateException(what + " could not be closed: process " + ring.producers.ownerPid()
                    + " kept putting for 30 s");
        }
        try {
            ring.markClosed();
        } finally {
            ring.producers.unlock();
        }
        ring.readers.wake(); // consumers waiting on an empty queue see it closed now
        ring.writers.wake();
    }

    /** For tests: this process takes the consumer lock and never gives it back, as a consumer killed inside a take. */
    public void holdConsumerLockForever() {
        ring.consumers.lock(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        ring.consumers.holdForever();
    }

    /** The pid of the process holding the consumer lock, or 0. */
    public long consumerLockOwner() {
        return ring.consumers.ownerPid();
    }
}
