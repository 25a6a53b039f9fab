package io.procactor.internal.pool;

import static io.procactor.internal.pool.Slot.down;
import static io.procactor.internal.pool.Slot.slots;
import static io.procactor.internal.pool.Slot.up;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinRoutingTest {
    private final RoundRobinRouting routing = new RoundRobinRouting();

    private List<String> pick(List<Slot> slots, int times) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            List<Slot> s = routing.select("task", slots);
            picked.add(s.isEmpty() ? "none" : s.get(0).name());
        }
        return picked;
    }

    @Test
    void eachMessageGoesToTheNextSlotInTurn() {
        assertThat(pick(slots(up("a"), up("b"), up("c")), 7)).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void slotsThatTakeNoWorkAreSkippedAndTheTurnMovesPastThem() {
        List<Slot> slots = slots(up("a"), down("b"), null, up("d"));

        // a; then b and the empty slot are looked at and skipped on the way to d; then a again
        assertThat(pick(slots, 4)).containsExactly("a", "d", "a", "d");
    }

    @Test
    void theTurnIsKeptAcrossChangesOfTheSlots() {
        assertThat(pick(slots(up("a"), up("b"), up("c")), 1)).containsExactly("a");

        // b retired meanwhile: the turn was at b, so c is next, then a
        assertThat(pick(slots(up("a"), down("b"), up("c")), 2)).containsExactly("c", "a");
    }

    @Test
    void noneWhenNoSlotTakesWork() {
        assertThat(pick(slots(down("a"), null), 2)).containsExactly("none", "none");
        assertThat(pick(slots(), 1)).containsExactly("none");
    }
}
