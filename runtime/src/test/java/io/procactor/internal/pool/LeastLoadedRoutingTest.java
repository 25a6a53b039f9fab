package io.procactor.internal.pool;

import static io.procactor.internal.pool.Slot.down;
import static io.procactor.internal.pool.Slot.slots;
import static io.procactor.internal.pool.Slot.up;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastLoadedRoutingTest {
    private final LeastLoadedRouting routing = new LeastLoadedRouting();

    @Test
    void theSlotWithTheSmallestLoadTakesTheMessage() {
        assertThat(routing.select("task", slots(up("a", 5), up("b", 2), up("c", 3)))).extracting(Slot::name).containsExactly("b");
    }

    @Test
    void onATieTheLowestIndexWins() {
        assertThat(routing.select("task", slots(up("a", 4), up("b", 1), up("c", 1)))).extracting(Slot::name).containsExactly("b");
    }

    @Test
    void slotsThatTakeNoWorkAreIgnoredHoweverIdle() {
        List<Slot> slots = slots(new Slot("retiring", false, 0), null, up("busy", 9));

        assertThat(routing.select("task", slots)).extracting(Slot::name).containsExactly("busy");
    }

    @Test
    void noneWhenNoSlotTakesWork() {
        assertThat(routing.select("task", slots(down("a"), null))).isEmpty();
    }
}
