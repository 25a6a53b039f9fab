package io.procactor.internal.pool;

import static io.procactor.internal.pool.Slot.down;
import static io.procactor.internal.pool.Slot.slots;
import static io.procactor.internal.pool.Slot.up;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomRoutingTest {
    private final List<Integer> bounds = new ArrayList<>();

    /** Draws {@code index} every time, recording the bound it was asked for. */
    private RandomRouting drawing(int index) {
        return new RandomRouting(bound -> {
            bounds.add(bound);
            return index;
        });
    }

    @Test
    void theDrawnSlotTakesTheMessage() {
        List<Slot> slots = slots(up("a"), up("b"), up("c"));

        assertThat(drawing(1).select("task", slots)).containsExactly(slots.get(1));
        assertThat(bounds).containsExactly(3);
    }

    @Test
    void whenTheDrawnSlotTakesNoWorkTheNextOneAfterItDoes() {
        List<Slot> slots = slots(up("a"), down("b"), null, up("d"));

        assertThat(drawing(1).select("task", slots)).containsExactly(slots.get(3));
        assertThat(new RandomRouting(bound -> 3).select("task", slots(up("a"), up("b"), up("c"), down("d"))))
                .extracting(Slot::name).containsExactly("a");
    }

    @Test
    void noneWhenNoSlotTakesWorkAndNoDrawForNoSlots() {
        assertThat(drawing(0).select("task", slots(down("a"), null))).isEmpty();
        assertThat(drawing(0).select("task", slots())).isEmpty();
        assertThat(bounds).containsExactly(2);
    }

    @Test
    void theRuntimesRandomReachesEverySlot() {
        RandomRouting routing = RandomRouting.withThreadLocalRandom();
        List<Slot> slots = slots(up("a"), up("b"), up("c"));
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            picked.add(routing.select("task", slots).get(0).name());
        }
        assertThat(picked).containsExactlyInAnyOrder("a", "b", "c");
    }
}
