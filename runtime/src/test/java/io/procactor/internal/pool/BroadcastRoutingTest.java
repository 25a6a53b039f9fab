package io.procactor.internal.pool;

import static io.procactor.internal.pool.Slot.down;
import static io.procactor.internal.pool.Slot.slots;
import static io.procactor.internal.pool.Slot.up;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BroadcastRoutingTest {
    private final BroadcastRouting routing = new BroadcastRouting();

    @Test
    void everySlotThatTakesWorkGetsTheMessageInSlotOrder() {
        assertThat(routing.select("hello", slots(up("a"), down("b"), null, up("d", 7))))
                .extracting(Slot::name).containsExactly("a", "d");
    }

    @Test
    void noneWhenNoSlotTakesWork() {
        // the pool then sends nothing and records no dead letter (today's behaviour of a ref message)
        assertThat(routing.select("hello", slots(down("a"), null))).isEmpty();
    }
}
