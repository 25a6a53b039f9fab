package io.procactor;

import io.procactor.internal.core.shm.SegmentRef;

/**
 * A fixed-length array of doubles in shared memory that every process of its actor system reads
 * and updates atomically, element by element: Python's {@code Array('d', n)}. Made by the
 * node with {@link ActorSystem#sharedDoubleArray(String, int)} (all elements 0); pass it to actors in other
 * processes as a constructor argument or message field.
 *
 * <p>Each method is one atomic step on one element across threads and processes; updates that
 * span several calls or elements need a {@link SharedLock}. Adding to a double is a compare-and-set loop. An index out of range throws
 * {@link IndexOutOfBoundsException} naming the index and the length; using it after its system
 * closed, or in a process of another system, throws {@link IllegalStateException}.
 *
 * <p>Thread-safe.
 */
public final class SharedDoubleArray {
    private final SegmentRef ref;

    SharedDoubleArray(SegmentRef ref) {
        this.ref = ref;
    }

    SegmentRef ref() {
        return ref;
    }

    /** The name it was created with. */
    public String name() {
        return ref.id().name();
    }

    /** The number of elements (Python's {@code len(a)}). */
    public int length() {
        return ref.id().length();
    }

    /** Element {@code index} (Python's {@code a[i]}). */
    public double get(int index) {
        return ref.segment().getDouble(index);
    }

    /** Sets element {@code index} (Python's {@code a[i] = x}). */
    public void set(int index, double value) {
        ref.segment().setDouble(index, value);
    }

    /** Adds {@code delta} to element {@code index} atomically and returns its new value. */
    public double addAndGet(int index, double delta) {
        return getAndAdd(index, delta) + delta;
    }

    /** Adds {@code delta} to element {@code index} atomically and returns its previous value. */
    public double getAndAdd(int index, double delta) {
        return ref.segment().getAndAddDouble(index, delta);
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected} (compared bit for bit, like {@link Double#equals}); returns whether it did. */
    public boolean compareAndSet(int index, double expected, double value) {
        return ref.segment().compareAndSetDouble(index, expected, value);
    }

    /** A copy of the elements, each read atomically (Python's {@code a[:]}), not all at one instant. */
    public double[] toArray() {
        double[] copy = new double[length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = get(i);
        }
        return copy;
    }

    /** Two handles are equal when they name the same segment. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedDoubleArray other && other.ref.id().equals(ref.id());
    }

    @Override
    public int hashCode() {
        return ref.id().hashCode();
    }

    @Override
    public String toString() {
        return "SharedDoubleArray[" + name() + ", length " + length() + "]";
    }
}
