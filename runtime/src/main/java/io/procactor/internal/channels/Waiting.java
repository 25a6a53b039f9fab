package io.procactor.internal.channels;

import io.procactor.ActorRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Asks that a host keeps waiting, oldest first, each with the timer that ends its wait. A host
 * answers each entry exactly once: when it is served, expired or failed, it leaves this list.
 *
 * <p>Not thread-safe: owned by one host actor.
 *
 * @param <T> what the waiting ask wants (its request)
 */
final class Waiting<T> {
    /** One waiting ask: its reply address, its asker's process and its request. */
    record Entry<T>(long id, ActorRef replyTo, String process, T request, Future<?> timer) {
    }

    private final Map<Long, Entry<T>> entries = new LinkedHashMap<>();

    void add(Entry<T> e) {
        entries.put(e.id(), e);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** The oldest entry, still waiting, or null. */
    Entry<T> peek() {
        Iterator<Entry<T>> it = entries.values().iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** Removes the oldest entry and cancels its timer; null when none waits. */
    Entry<T> poll() {
        Entry<T> e = peek();
        if (e != null) {
            remove(e.id());
        }
        return e;
    }

    /** Removes the entry {@code id} (its timer fired or it is served); null when it is gone already. */
    Entry<T> remove(long id) {
        Entry<T> e = entries.remove(id);
        if (e != null && e.timer() != null) {
            e.timer().cancel(false);
        }
        return e;
    }

    /** Removes every entry, in order. */
    List<Entry<T>> removeAll() {
        List<Entry<T>> all = new ArrayList<>(entries.values());
        all.forEach(e -> remove(e.id()));
        return all;
    }

    /** Removes the entries of asks from {@code process} (it exited: nobody is there to answer). */
    List<Entry<T>> removeProcess(String process) {
        List<Entry<T>> gone = new ArrayList<>();
        for (Entry<T> e : entries.values()) {
            if (e.process().equals(process)) {
                gone.add(e);
            }
        }
        gone.forEach(e -> remove(e.id()));
        return gone;
    }
}
