package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.TestActors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9 item 2: a storm of spawnProcess calls is slow, never wrong. JVM launches are admitted a
 * few at a time (procactor.process.max-starting), so none is killed for a start or handshake timeout
 * however many wait their turn, and a ready() that times out while waiting says so.
 */
@ExtendWith(NoLeftoverProcesses.class)
class SpawnStormTest {
    private static final int CHILDREN = 200;
    private static final Duration T = Duration.ofMinutes(5);

    @Test
    void twoHundredChildrenRequestedAtOnceAllComeUp() throws Exception {
        try (ActorSystem system = ActorSystem.create("storm")) {
            long t0 = System.nanoTime();
            List<ActorProcess> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                children.add(system.spawnProcess(Props.create(TestActors.Doubler.class), "s-" + i));
            }
            for (ActorProcess p : children) {
                p.ready().get(T.toMillis(), TimeUnit.MILLISECONDS);
            }
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (ActorProcess p : children) {
                assertThat(p.ref().<Integer>ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
                assertThat(p.restarts()).isZero();
            }
            System.out.printf("SpawnStormTest: %d children requested at once were all ready after %d ms on %d cores%n",
                    CHILDREN, readyMillis, Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void aReadyThatTimesOutWhileWaitingForAStartSlotSaysSo() throws Exception {
        try (ActorSystem system = ActorSystem.create("queue",
                ConfigFactory.parseString("procactor.process.max-starting = 1").withFallback(ConfigFactory.load()))) {
            ActorProcess first = system.spawnProcess(Props.create(TestActors.Doubler.class), "first");
            ActorProcess second = system.spawnProcess(Props.create(TestActors.Doubler.class), "second");
            ActorProcess third = system.spawnProcess(Props.create(TestActors.Doubler.class), "third");
            assertThatThrownBy(() -> third.ready().get(1, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("process [third] was not ready within 1 ms")
                    .hasMessageContaining("waiting for a start slot")
                    .hasMessageContaining("procactor.process.max-starting");
            third.terminate(); // still waiting: it never launches
            assertThat(third.join(T)).isTrue();
            assertThat(third.exitStatus().orElseThrow().reason()).isEqualTo(ExitStatus.Reason.TERMINATED);
            assertThat(first.ready().get(T.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(first);
            assertThat(second.ready().get(T.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(second);
        }
    }
}
