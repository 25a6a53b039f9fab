package io.procactor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashRingTest {
    private static final Object[] KEYS = {null, 0, 1, 2, 3, 42, -7, 1000L, "alice", "bob", "carol", "dave", "eve", "order-17"};

    private static List<Integer> slotsOf(int slots) {
        HashRing ring = new HashRing(slots);
        List<Integer> out = new ArrayList<>();
        for (Object k : KEYS) {
            out.add(ring.slotFor(k));
        }
        return out;
    }

    /**
     * Golden slots, taken from the ring of {@code io.procactor.internal.HashRing} before it moved
     * here. A change means keys move between workers for users who rely on where they land:
     * change the algorithm only on purpose.
     */
    @Test
    void keysLandWhereTheyAlwaysHave() {
        assertThat(slotsOf(1)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(slotsOf(3)).containsExactly(0, 0, 2, 0, 0, 2, 2, 2, 1, 2, 0, 0, 1, 1);
        assertThat(slotsOf(4)).containsExactly(0, 0, 2, 0, 0, 3, 2, 3, 1, 2, 3, 0, 3, 1);
        assertThat(slotsOf(8)).containsExactly(0, 0, 2, 5, 6, 3, 2, 3, 7, 2, 7, 0, 4, 7);
    }

    @Test
    void mixIsMurmur3sFinalizer() {
        assertThat(HashRing.mix(0)).isZero();
        assertThat(HashRing.mix(1)).isEqualTo(885181228);
        assertThat(HashRing.mix(1L << 32)).isEqualTo(174003225);
        assertThat(HashRing.mix(-1L)).isEqualTo(1266835233);
    }

    @Test
    void smallIntegerKeysSpreadOverEverySlot() {
        HashRing ring = new HashRing(4);
        int[] counts = new int[4];
        for (int k = 0; k < 10_000; k++) {
            counts[ring.slotFor(k)]++;
        }
        // 2712, 2471, 2428, 2389 today: no slot gets less than a fifth or more than a third
        assertThat(Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(2_000, 3_333));
    }
}
