package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9 item 2: JVM launches are admitted a few at a time (procactor.process.max-starting), and a
 * ready() that times out while waiting for a start slot says so. The storm itself (200 children
 * requested at once all come up) is {@link ReplyAndStopTest}.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class SpawnStormTest {
    private static final Duration T = Timeouts.seconds(120);

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
            assertThatThrownBy(() -> third.ref().ask(1, Duration.ofMillis(50)).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(AskTimeoutException.class)
                    .hasMessageContaining("its process [third] is still starting")
                    .hasMessageContaining("waiting for a start slot");
            third.terminate(); // still waiting: it never launches
            assertThat(third.join(T)).isTrue();
            assertThat(third.exitStatus().orElseThrow().reason()).isEqualTo(ExitStatus.Reason.TERMINATED);
            assertThat(first.ready().get(T.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(first);
            assertThat(second.ready().get(T.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(second);
        }
    }
}
