package io.procactor.internal.channels;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The items a host keeps because they are too big for its object's ring ({@code ChannelMessages.Spill}),
 * by id, each with the process that spilled it, until a consumer fetches it. A producer that dies
 * between its spill and writing the id into the ring (or whose put gave up and whose forget never
 * came) leaves an item nobody will fetch. Such an item is found once its producer is dead: a dead
 * producer writes no more records, so an item of one whose id is not in the ring now was either
 * never written or already copied out by a consumer, which fetches it within moments. The host
 * marks it suspect then, and drops it if it is still here a grace period later.
 *
 * <p>Not thread-safe: its host actor's thread only.
 */
final class Spills {
    private record Kept(Object item, String producer) {
    }

    private final Map<Long, Kept> kept = new HashMap<>();
    /** Dead processes that spilled items still kept. */
    private final Set<String> dead = new HashSet<>();
    /** Suspect ids, with the time (System.nanoTime) from which they may be dropped. */
    private final Map<Long, Long> suspects = new HashMap<>();
    private long next;

    /** Keeps {@code item} spilled by {@code producer}; returns its id (never 0). */
    long add(Object item, String producer) {
        kept.put(++next, new Kept(item, producer));
        return next;
    }

    /** Hands out and forgets item {@code id}; null when not kept (fetched already, dropped, or never kept). */
    Object take(long id) {
        Kept k = kept.remove(id);
        suspects.remove(id);
        return k == null ? null : k.item();
    }

    int size() {
        return kept.size();
    }

    /**
     * A process exited; returns whether items of dead producers are kept, so that the caller should
     * {@link #suspect} (the ring may have moved on since the last look, and a consumer may have died).
     */
    boolean exited(String process) {
        for (Kept k : kept.values()) {
            if (k.producer().equals(process)) {
                dead.add(process);
                break;
            }
        }
        return !dead.isEmpty();
    }

    /**
     * Marks suspect every item of a dead producer whose id {@code ringIds} (all spill ids in the
     * ring now) does not report; returns whether any is suspect, so that the caller should
     * {@link #sweep} once {@code graceNanos} passed.
     */
    boolean suspect(java.util.function.Consumer<LongConsumer> ringIds, long now, long graceNanos) {
        Set<Long> inRing = new HashSet<>();
        ringIds.accept(inRing::add);
        for (Map.Entry<Long, Kept> e : kept.entrySet()) {
            if (dead.contains(e.getValue().producer()) && !inRing.contains(e.getKey())) {
                suspects.putIfAbsent(e.getKey(), now + graceNanos);
            }
        }
        return !suspects.isEmpty();
    }

    /** Drops the suspects whose grace ended by {@code now}; returns how many it dropped. */
    int sweep(long now) {
        int dropped = 0;
        for (Iterator<Map.Entry<Long, Long>> it = suspects.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> s = it.next();
            if (now - s.getValue() >= 0) {
                it.remove();
                if (kept.remove(s.getKey()) != null) {
                    dropped++;
                }
            }
        }
        dead.removeIf(p -> kept.values().stream().noneMatch(k -> k.producer().equals(p)));
        return dropped;
    }

    /** Whether suspects wait for a later {@link #sweep}. */
    boolean hasSuspects() {
        return !suspects.isEmpty();
    }
}
