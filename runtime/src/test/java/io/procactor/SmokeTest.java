package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SpawnsJvms
class SmokeTest {
    @Test
    void askAcrossProcess() throws Exception {
        try (ActorSystem system = ActorSystem.create("smoke")) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "d1");
            Integer r = p.ref().<Integer>ask(21, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
            assertThat(r).isEqualTo(42);
            System.out.println("whoami " + p.ref().ask("whoami", Duration.ofSeconds(5)).get());
        }
    }
}
