package io.procactor.internal.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The threads asleep on one side of a ring (its readers, or its writers), in {@value #SLOTS} slots
 * on one cache line of the segment: 0 for a free slot, else {@code pid << 1}, with the low bit set
 * once someone rang that process's {@link Doorbell} for it. So a publisher looks at one cache line
 * (which stays in its cache while nobody sleeps) and rings each sleeping process once, however
 * many items it publishes before the sleeper wakes.
 *
 * <p>No wake-up is lost: a sleeper marks its slot and then looks at the ring again before it
 * sleeps, and a publisher publishes, fences, and then looks at the slots; one of the two sees
 * the other. A slot of a process that died is freed by the first publisher whose bell finds
 * nobody; when all slots are taken, a sleeper wakes on its own (see {@link Idle}).
 *
 * <p>Thread-safe.
 */
final class Sleepers {
    static final int SLOTS = 8;
    /** The bytes the slots take in a segment: one cache line. */
    static final int BYTES = SLOTS * 8;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long ME = Doorbell.pid() << 1;

    private final ByteBuffer buf;
    private final int at;
    private final Path dir;

    Sleepers(ByteBuffer buf, int at, Path dir) {
        this.buf = buf;
        this.at = at;
        this.dir = dir;
    }

    /** Claims a slot for the calling thread, marked asleep (not rung); -1 when none is free or this process cannot be rung. */
    int enter() {
        if (dir == null || !Doorbell.listen(dir)) {
            return -1;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (LONGS.compareAndSet(buf, at + 8 * i, 0L, ME)) { // a full fence: the caller looks at the ring after
                return i;
            }
        }
        return -1;
    }

    /**
     * Marks the slot asleep again after a wake-up (the caller looks at the ring after this) and
     * returns it, or another one if a publisher freed it (taking this process for gone), or -1.
     */
    int rearm(int slot) {
        long v = (long) LONGS.getVolatile(buf, at + 8 * slot);
        if ((v | 1) == (ME | 1) && LONGS.compareAndSet(buf, at + 8 * slot, v, ME)) {
            return slot;
        }
        return enter();
    }

    void leave(int slot) {
        LONGS.setRelease(buf, at + 8 * slot, 0L);
    }

    /** Call after publishing: rings every process with a thread asleep here that was not rung yet. */
    void wake() {
        VarHandle.fullFence(); // the publish before the look at the slots (a store then a load)
        for (int i = 0; i < SLOTS; i++) {
            long v = (long) LONGS.getOpaque(buf, at + 8 * i);
            if (v != 0 && (v & 1) == 0 && LONGS.compareAndSet(buf, at + 8 * i, v, v | 1)) {
                if (!Doorbell.ring(dir, v >>> 1)) {
                    LONGS.compareAndSet(buf, at + 8 * i, v | 1, 0L); // nobody there: the sleeper's process is gone
                }
            }
        }
    }

    long slotForTest(int slot) {
        return (long) LONGS.getVolatile(buf, at + 8 * slot);
    }

    void setSlotForTest(int slot, long value) {
        LONGS.setVolatile(buf, at + 8 * slot, value);
    }
}
