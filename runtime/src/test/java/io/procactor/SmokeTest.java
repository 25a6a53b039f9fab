package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.ProcactorTest;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.TestProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@ProcactorTest
@SpawnsJvms
class SmokeTest {
    @Test
    void askAcrossProcess(ActorSystem system) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "d1");
        Integer r = p.ref().<Integer>ask(21, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(42);
        System.out.println("whoami " + p.ref().ask("whoami", Duration.ofSeconds(5)).get());
    }

    @Test
    void tellAcrossProcessWithTheProbeAsSender(ActorSystem system, TestProbe probe) {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "d2");
        probe.send(p.ref(), 21);
        probe.expectMessage(42, Duration.ofSeconds(20));
        assertThat(probe.lastSender()).isEqualTo(p.ref());
    }
}
