package io.procactor;

import io.procactor.internal.core.shm.SegmentRef;

/**
 * A double in shared memory that every process of its actor system reads and updates atomically:
 * Python's {@code Value('d', 0)}. Made by the node with
 * {@link ActorSystem#sharedDouble(String, double)}; pass it to actors in other processes as a
 * constructor argument or message field, and each process works on the same memory (a
 * memory-mapped segment in {@code /dev/shm}), not on a copy.
 *
 * <p>Each method is one atomic step across threads and processes; a read-modify-write spread over
 * several calls ({@code v.set(v.get() + 1)}) is not, and needs {@link #addAndGet} or a
 * {@link SharedLock}. Adding to a double is a compare-and-set loop. Using it after its system closed, or in a process of another
 * system, throws {@link IllegalStateException} saying so.
 *
 * <p>Thread-safe.
 */
public final class SharedDouble {
    private final SegmentRef ref;

    SharedDouble(SegmentRef ref) {
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
    public double get() {
        return ref.segment().getDouble(0);
    }

    /** Sets the value (Python's {@code v.value = x}). */
    public void set(double value) {
        ref.segment().setDouble(0, value);
    }

    /** Adds {@code delta} atomically and returns the new value. */
    public double addAndGet(double delta) {
        return getAndAdd(delta) + delta;
    }

    /** Adds {@code delta} atomically and returns the previous value. */
    public double getAndAdd(double delta) {
        return ref.segment().getAndAddDouble(0, delta);
    }

    /** Sets {@code value} if the current value is {@code expected} (compared bit for bit, like {@link Double#equals}); returns whether it did. */
    public boolean compareAndSet(double expected, double value) {
        return ref.segment().compareAndSetDouble(0, expected, value);
    }

    /** Two handles are equal when they name the same segment. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedDouble other && other.ref.id().equals(ref.id());
    }

    @Override
    public int hashCode() {
        return ref.id().hashCode();
    }

    @Override
    public String toString() {
        return "SharedDouble[" + name() + "]";
    }
}
