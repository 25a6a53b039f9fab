package io.procactor.internal.pool;

import static io.procactor.internal.pool.Slot.down;
import static io.procactor.internal.pool.Slot.slots;
import static io.procactor.internal.pool.Slot.up;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConsistentHashRoutingTest {
    /** Messages "key:payload" are routed by their key. */
    private static final Function<Object, Object> KEY = m -> ((String) m).substring(0, ((String) m).indexOf(':'));

    private final List<Slot> four = slots(up("s0"), up("s1"), up("s2"), up("s3"));
    private final ConsistentHashRouting routing = new ConsistentHashRouting(four.size(), KEY);

    private String pick(String message, List<Slot> slots) {
        List<Slot> s = routing.select(message, slots);
        return s.isEmpty() ? "none" : s.get(0).name();
    }

    @Test
    void equalKeysGoToTheSlotTheRingGivesThem() {
        HashRing ring = new HashRing(4);
        for (String key : List.of("alice", "bob", "carol", "dave", "eve")) {
            String expected = "s" + ring.slotFor(key);
            assertThat(pick(key + ":1", four)).isEqualTo(expected);
            assertThat(pick(key + ":2", four)).as("same key, other payload").isEqualTo(expected);
        }
    }

    @Test
    void whenTheKeysSlotTakesNoWorkRoundRobinTakesOverAndTheSlotGetsItsKeysBackLater() {
        int slot = new HashRing(4).slotFor("alice");
        List<Slot> replacing = new ArrayList<>(four);
        replacing.set(slot, down("old"));

        List<String> meanwhile = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            meanwhile.add(pick("alice:" + i, replacing));
        }
        // round robin from slot 0, stepping over the slot that takes no work
        List<String> expected = new ArrayList<>();
        for (int i = 0; expected.size() < 3; i++) {
            if (i % 4 != slot) {
                expected.add("s" + (i % 4));
            }
        }
        assertThat(meanwhile).isEqualTo(expected);

        replacing.set(slot, up("new"));
        assertThat(pick("alice:9", replacing)).isEqualTo("new");
    }

    @Test
    void anEmptySlotFallsBackTooAndNoneWhenNoSlotTakesWork() {
        int slot = new HashRing(4).slotFor("bob");
        List<Slot> slots = new ArrayList<>(four);
        slots.set(slot, null);
        assertThat(pick("bob:1", slots)).isNotEqualTo("none").isNotEqualTo("s" + slot);

        assertThat(pick("bob:1", slots(down("a"), down("b"), null, down("d")))).isEqualTo("none");
    }

    @Test
    void aNullKeyHasASlotToo() {
        ConsistentHashRouting nullKeys = new ConsistentHashRouting(4, m -> null);

        assertThat(nullKeys.select("anything", four)).extracting(Slot::name).containsExactly("s" + new HashRing(4).slotFor(null));
    }
}
