package io.procactor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.Routing;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RoutingLogicTest {

    @Test
    void eachRoutingHasItsLogic() {
        assertThat(RoutingLogic.of(Routing.ROUND_ROBIN, 2, Function.identity())).isInstanceOf(RoundRobinRouting.class);
        assertThat(RoutingLogic.of(Routing.RANDOM, 2, Function.identity())).isInstanceOf(RandomRouting.class);
        assertThat(RoutingLogic.of(Routing.LEAST_LOADED, 2, Function.identity())).isInstanceOf(LeastLoadedRouting.class);
        assertThat(RoutingLogic.of(Routing.CONSISTENT_HASHING, 2, Function.identity())).isInstanceOf(ConsistentHashRouting.class);
        assertThat(RoutingLogic.of(Routing.BROADCAST, 2, Function.identity())).isInstanceOf(BroadcastRouting.class);
    }

    @Test
    void workPullingPushesMessagesToItsRefToTheLeastLoadedWorker() {
        // tasks are pulled by the dispatcher; a message sent to the pool's ref is pushed, as today
        assertThat(RoutingLogic.of(Routing.WORK_PULLING, 2, Function.identity())).isInstanceOf(LeastLoadedRouting.class);
    }

    @Test
    void eachPoolGetsItsOwnRoundRobinTurn() {
        RoutingLogic a = RoutingLogic.of(Routing.ROUND_ROBIN, 2, Function.identity());
        RoutingLogic b = RoutingLogic.of(Routing.ROUND_ROBIN, 2, Function.identity());
        var slots = Slot.slots(Slot.up("x"), Slot.up("y"));

        a.select("m", slots);

        assertThat(b.select("m", slots)).extracting(Slot::name).containsExactly("x");
    }
}
