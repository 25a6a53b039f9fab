package io.procactor.internal.pool;

import java.util.Map;
import java.util.TreeMap;

/**
 * Consistent hashing over worker slots: each slot owns many points on a ring, and a key belongs
 * to the first point at or after its hash. Slots, not processes, own points, so a replaced worker
 * inherits its predecessor's keys. Immutable and thread-safe.
 */
final class HashRing {
    private static final int POINTS_PER_SLOT = 128;
    private final TreeMap<Integer, Integer> ring = new TreeMap<>();

    HashRing(int slots) {
        for (int s = 0; s < slots; s++) {
            for (int p = 0; p < POINTS_PER_SLOT; p++) {
                ring.put(mix(((long) (s + 1) << 32) | p), s); // never a small number: those are where small keys hash
            }
        }
    }

    int slotFor(Object key) {
        Map.Entry<Integer, Integer> e = ring.ceilingEntry(mix(key == null ? 0 : key.hashCode()));
        return (e != null ? e : ring.firstEntry()).getValue();
    }

    /** MurmurHash3's 64-bit finalizer: spreads poor hashCodes (small integers) over the ring. */
    static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
