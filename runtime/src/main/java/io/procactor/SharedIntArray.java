package io.procactor;

import io.procactor.internal.core.shm.SegmentRef;

/**
 * A fixed-length array of ints in shared memory that every process of its actor system reads
 * and updates atomically, element by element: Python's {@code Array('i', n)}. Made by the
 * node with {@link ActorSystem#sharedIntArray(String, int)} (all elements 0); pass it to actors in other
 * processes as a constructor argument or message field.
 *
 * <p>Each method is one atomic step on one element across threads and processes; updates that
 * span several calls or elements need a {@link SharedLock}. An index out of range throws
 * {@link IndexOutOfBoundsException} naming the index and the length; using it after its system
 * closed, or in a process of another system, throws {@link IllegalStateException}.
 *
 * <p>Thread-safe.
 */
public final class SharedIntArray {
    private final SegmentRef ref;

    SharedIntArray(SegmentRef ref) {
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
    public int get(int index) {
        return ref.segment().getInt(index);
    }

    /** Sets element {@code index} (Python's {@code a[i] = x}). */
    public void set(int index, int value) {
        ref.segment().setInt(index, value);
    }

    /** Adds {@code delta} to element {@code index} atomically and returns its new value. */
    public int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    /** Adds {@code delta} to element {@code index} atomically and returns its previous value. */
    public int getAndAdd(int index, int delta) {
        return ref.segment().getAndAddInt(index, delta);
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected}; returns whether it did. */
    public boolean compareAndSet(int index, int expected, int value) {
        return ref.segment().compareAndSetInt(index, expected, value);
    }

    /** A copy of the elements, each read atomically (Python's {@code a[:]}), not all at one instant. */
    public int[] toArray() {
        int[] copy = new int[length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = get(i);
        }
        return copy;
    }

    /** Two handles are equal when they name the same segment. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedIntArray other && other.ref.id().equals(ref.id());
    }

    @Override
    public int hashCode() {
        return ref.id().hashCode();
    }

    @Override
    public String toString() {
        return "SharedIntArray[" + name() + ", length " + length() + "]";
    }
}
