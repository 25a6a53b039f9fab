package io.procactor;

import io.procactor.internal.core.shm.SegmentRef;

/**
 * An int in shared memory that every process of its actor system reads and updates atomically:
 * Python's {@code Value('i', 0)}. Made by the node with
 * {@link ActorSystem#sharedInt(String, int)}; pass it to actors in other processes as a
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
public final class SharedInt {
    private final SegmentRef ref;

    SharedInt(SegmentRef ref) {
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
    public int get() {
        return ref.segment().getInt(0);
    }

    /** Sets the value (Python's {@code v.value = x}). */
    public void set(int value) {
        ref.segment().setInt(0, value);
    }

    /** Adds {@code delta} atomically and returns the new value. */
    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    /** Adds {@code delta} atomically and returns the previous value. */
    public int getAndAdd(int delta) {
        return ref.segment().getAndAddInt(0, delta);
    }

    /** Adds one atomically and returns the new value. */
    public int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** Sets {@code value} if the current value is {@code expected}; returns whether it did. */
    public boolean compareAndSet(int expected, int value) {
        return ref.segment().compareAndSetInt(0, expected, value);
    }

    /** Two handles are equal when they name the same segment. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedInt other && other.ref.id().equals(ref.id());
    }

    @Override
    public int hashCode() {
        return ref.id().hashCode();
    }

    @Override
    public String toString() {
        return "SharedInt[" + name() + "]";
    }
}
