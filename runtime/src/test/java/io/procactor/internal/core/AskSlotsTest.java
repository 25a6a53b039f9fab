package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.Timeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link AskSlots}: asks by id in slots, the map for an id whose slot is taken; each taken out once. */
class AskSlotsTest {
    private record Ask(long id) implements AskSlots.Keyed {
    }

    private final AskSlots<Ask> slots = new AskSlots<>();

    @Test
    void anAskIsFoundByItsIdOnceEvenWhenAnOlderOneHoldsItsSlot() {
        Ask slow = new Ask(5);
        Ask sameSlot = new Ask(5 + 2048);
        Ask other = new Ask(6);
        slots.put(slow);
        slots.put(sameSlot); // to the overflow map
        slots.put(other);
        assertThat(slots.size()).isEqualTo(3);

        assertThat(slots.remove(5 + 2048)).isSameAs(sameSlot);
        assertThat(slots.remove(5 + 2048)).isNull();
        assertThat(slots.remove(5 + 4096)).isNull(); // never stored, same slot
        assertThat(slots.remove(7)).isNull();
        assertThat(slots.remove(slow)).isTrue();
        assertThat(slots.remove(slow)).isFalse();
        assertThat(slots.remove(5)).isNull();

        List<Ask> left = new ArrayList<>();
        slots.forEach(left::add);
        assertThat(left).containsExactly(other);
        assertThat(slots.remove(6)).isSameAs(other);
        assertThat(slots.size()).isZero();
    }

    @Test
    void concurrentRemoversTakeEachAskExactlyOnce() throws Exception {
        int n = 50_000;
        List<Ask> asks = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Ask a = new Ask(i);
            asks.add(a);
            slots.put(a); // more than 2048: most go to the map
        }
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(3);
        for (int t = 0; t < 3; t++) {
            int kind = t;
            new Thread(() -> {
                for (Ask a : asks) {
                    if (kind == 0 ? slots.remove(a.id()) != null : slots.remove(a)) {
                        taken.incrementAndGet();
                    }
                }
                done.countDown();
            }, "remover-" + t).start();
        }
        assertThat(done.await(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(taken).hasValue(n);
        assertThat(slots.size()).isZero();
    }
}
