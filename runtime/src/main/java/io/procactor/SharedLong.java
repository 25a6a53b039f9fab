package io.procactor;

import io.procactor.internal.core.shm.SegmentRef;

/**
 * A long in shared memory that every process of its actor system reads and updates atomically:
 * Python's {@code Value('q', 0)}. Made by the node with
 * {@link ActorSystem#sharedLong(String, long)}; pass it to actors in other processes as a
 * constructor argument or message field, and each process works on the same memory (a
 * memory-mapped segment in {@code /dev/shm}), not on a copy.
 *
 * <p>Each method is one atomic step across threads and processes; a read-modify-write spread over
 * several calls ({@code v.set(v.get() + 1)}) is not, and needs {@link #addAndGet} or a
 * {@link SharedLock}. Using it after its system closed, or in a process of another
 * system, throws {@link IllegalStateException} saying so.
 *
 * <p>Thread-safe.
 */
public final class SharedLong {
    private final SegmentRef ref;

    SharedLong(SegmentRef ref) {
        this.ref = ref;
    }

    SegmentRef ref() {
        return ref;
    }

    /** The name it was created with. */
    public String name() {
        return ref.id().name();
    }

    /** The current value (Python's {@code v.value}). */
    public long get() {
        return ref.segment().getLong(0);
    }

    /** Sets the value (Python's {@code v.value = x}). */
    public void set(long value) {
        ref.segment().setLong(0, value);
    }

    /** Adds {@code delta} atomically and returns the new value. */
    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    /** Adds {@code delta} atomically and returns the previous value. */
    public long getAndAdd(long delta) {
        return ref.segment().getAndAddLong(0, delta);
    }

    /** Adds one atomically and returns the new value. */
    public long incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** Sets {@code value} if the current value is {@code expected}; returns whether it did. */
    public boolean compareAndSet(long expected, long value) {
        return ref.segment().compareAndSetLong(0, expected, value);
    }

    /** Two handles are equal when they name the same segment. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedLong other && other.ref.id().equals(ref.id());
    }

    @Override
    public int hashCode() {
        return ref.id().hashCode();
    }

    @Override
    public String toString() {
        return "SharedLong[" + name() + "]";
    }
}
