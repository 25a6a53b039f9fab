package io.procactor.internal.core.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One segment as this process maps it: one mapping per segment per process, shared by every
 * handle of it here. Atomic operations go through the JDK's byte-buffer {@link VarHandle}s (the
 * same CPU instructions as Agrona's {@code AtomicBuffer}, which on JDK 17 would need
 * {@code --add-exports java.base/jdk.internal.misc} in every JVM, the user's node included). Every
 * operation first reads the header's closed flag, so a segment its system closed fails clearly in
 * every process instead of silently updating memory nobody reads any more.
 *
 * <p>The mapping is never unmapped by hand: another thread may be inside an operation, and an
 * explicit unmap under it would crash the JVM. Closing marks the segment closed and removes the
 * file; the JDK unmaps once no handle reaches the buffer.
 *
 * <p>Threads: thread-safe; the in-process lock serializes this JVM's threads for {@link LockWord}.
 */
public final class MappedSegment {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final SegmentId id;
    private final ByteBuffer buf;
    /** This process's threads take the segment's lock one at a time; see {@link LockWord}. */
    final ReentrantLock local = new ReentrantLock();
    /** For the lock word at offset 0 (see {@link LockWord}). */
    final OwnerCheck ownerCheck = new OwnerCheck();

    MappedSegment(SegmentId id, ByteBuffer buf) {
        this.id = id;
        this.buf = buf;
    }

    /**
     * Maps the segment {@code id} names in this process, for objects that keep their own mapping
     * (the rings of queues and pipes) rather than a {@link SegmentTable}'s.
     *
     * @throws IllegalStateException naming the object when it is gone or is not the one named
     */
    public static MappedSegment map(SegmentId id) {
        return new MappedSegment(id, SegmentFiles.open(id));
    }

    /**
     * The data part of the segment as a buffer of its own (native order, position 0), for code
     * that lays out its own structure in it (the rings of queues and pipes) with its own atomic
     * accesses. The header's closed flag stays readable through {@link #isClosed()}.
     */
    public ByteBuffer data() {
        return buf.duplicate().position(SegmentFiles.DATA).slice().order(ByteOrder.nativeOrder());
    }

    public SegmentId id() {
        return id;
    }

    /** Marks the segment closed for every process that maps it. */
    public void markClosed() {
        INTS.setRelease(buf, SegmentFiles.CLOSED, 1);
    }

    public boolean isClosed() {
        return (int) INTS.getAcquire(buf, SegmentFiles.CLOSED) != 0;
    }

    private int offset(int index) {
        if (isClosed()) {
            throw SegmentFiles.gone(id, "its system removed it");
        }
        if (index < 0 || index >= id.length()) {
            throw new IndexOutOfBoundsException("index [" + index + "] is out of bounds for " + id.type().apiName() + " ["
                    + id.name() + "] of length " + id.length() + "; use an index from 0 to " + (id.length() - 1));
        }
        return SegmentFiles.DATA + index * id.type().elementBytes();
    }

    // ---- 64-bit elements (long, double bits, the lock word) ----

    public long getLong(int index) {
        return (long) LONGS.getVolatile(buf, offset(index));
    }

    public void setLong(int index, long value) {
        LONGS.setVolatile(buf, offset(index), value);
    }

    public long getAndAddLong(int index, long delta) {
        return (long) LONGS.getAndAdd(buf, offset(index), delta);
    }

    public boolean compareAndSetLong(int index, long expected, long value) {
        return LONGS.compareAndSet(buf, offset(index), expected, value);
    }

    public long getAndSetLong(int index, long value) {
        return (long) LONGS.getAndSet(buf, offset(index), value);
    }

    // ---- doubles: their bits in a long; adding is a compare-and-set loop ----

    public double getDouble(int index) {
        return Double.longBitsToDouble(getLong(index));
    }

    public void setDouble(int index, double value) {
        setLong(index, Double.doubleToRawLongBits(value));
    }

    public double getAndAddDouble(int index, double delta) {
        int at = offset(index);
        while (true) {
            long bits = (long) LONGS.getVolatile(buf, at);
            double now = Double.longBitsToDouble(bits);
            if (LONGS.compareAndSet(buf, at, bits, Double.doubleToRawLongBits(now + delta))) {
                return now;
            }
        }
    }

    /** Compares bit patterns, like {@code Double.equals}: 0.0 and -0.0 differ, NaN matches NaN of the same bits. */
    public boolean compareAndSetDouble(int index, double expected, double value) {
        return compareAndSetLong(index, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    // ---- 32-bit elements ----

    public int getInt(int index) {
        return (int) INTS.getVolatile(buf, offset(index));
    }

    public void setInt(int index, int value) {
        INTS.setVolatile(buf, offset(index), value);
    }

    public int getAndAddInt(int index, int delta) {
        return (int) INTS.getAndAdd(buf, offset(index), delta);
    }

    public boolean compareAndSetInt(int index, int expected, int value) {
        return INTS.compareAndSet(buf, offset(index), expected, value);
    }
}
