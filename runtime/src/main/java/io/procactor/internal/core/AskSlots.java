package io.procactor.internal.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The asks in flight by id, for {@link AskTable}: ids are handed out in sequence and most asks end
 * soon, so an ask takes the slot {@code id mod 2048} of an array (a compare-and-set to store, one
 * to take it out; no boxed key, no map node, no shared counter), and goes to a map only when that
 * slot is still held by an ask 2048 ids older (a slow one, or more than 2048 in flight).
 *
 * <p>Threads: thread-safe, lock-free. Each ask is taken out at most once: whoever's
 * {@code remove} returns it owns its ending.
 */
final class AskSlots<T extends AskSlots.Keyed> {
    /** What is stored: it knows its own id. */
    interface Keyed {
        long id();
    }

    private static final int SLOTS = 2048;
    private static final int MASK = SLOTS - 1;

    private final AtomicReferenceArray<T> slots = new AtomicReferenceArray<>(SLOTS);
    private final Map<Long, T> overflow = new ConcurrentHashMap<>();

    /** Stores {@code value} under its id, which must not be stored already. */
    void put(T value) {
        if (!slots.compareAndSet(index(value.id()), null, value)) {
            overflow.put(value.id(), value);
        }
    }

    /** The ask {@code id}, left in place; null when it is not here. */
    T get(long id) {
        T v = slots.get(index(id));
        if (v != null && v.id() == id) {
            return v;
        }
        return overflow.get(id); // not guarded by isEmpty(): a sum of counter cells, it can read 0 while a put and a remove race
    }

    /** Takes out the ask {@code id}; null when it is not here (never was, or already taken). */
    T remove(long id) {
        int i = index(id);
        T v = slots.get(i);
        if (v != null && v.id() == id) {
            return slots.compareAndSet(i, v, null) ? v : null;
        }
        return overflow.remove(id);
    }

    /** Takes out {@code value} if it is still here; false when someone else took it. */
    boolean remove(T value) {
        int i = index(value.id());
        if (slots.get(i) == value) {
            return slots.compareAndSet(i, value, null);
        }
        return overflow.remove(value.id(), value);
    }

    /** Every ask here now (a snapshot; asks may come and go meanwhile). */
    void forEach(Consumer<T> action) {
        for (int i = 0; i < SLOTS; i++) {
            T v = slots.get(i);
            if (v != null) {
                action.accept(v);
            }
        }
        overflow.values().forEach(action);
    }

    /** How many asks are here (not atomic with concurrent changes). */
    int size() {
        int[] n = {0};
        forEach(v -> n[0]++);
        return n[0];
    }

    private static int index(long id) {
        return (int) id & MASK;
    }
}
