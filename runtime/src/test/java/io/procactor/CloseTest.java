package io.procactor;

import static io.procactor.MessagingTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.ExitStatus.Reason;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class CloseTest {

    @Test
    void closeLeavesNoProcessBehind(@TempDir Path tmp) throws Exception {
        Path idleMarker = tmp.resolve("idle.marker");
        Path busyMarker = tmp.resolve("busy.marker");
        ActorSystem system = ActorSystem.builder("closing")
                .config(ConfigFactory.parseString("procactor.process.terminate-grace-period = 1s"))
                .build();
        ActorProcess idle;
        ActorProcess busy;
        ActorProcess plain;
        ActorProcess neverStarted;
        CompletableFuture<Object> pending;
        try {
            idle = system.spawnProcess(Props.create(TestActors.StopMarker.class, idleMarker.toString()), "idle");
            busy = system.spawnProcess(Props.create(TestActors.StopMarker.class, busyMarker.toString()), "busy");
            plain = system.spawnProcess(Props.create(TestActors.Doubler.class), "plain");
            neverStarted = system.process(Props.create(TestActors.Doubler.class), "never-started");
            assertThat(idle.ref().<Integer>ask(1, Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(plain.ref().<Integer>ask(1, Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(busy.ref().<String>ask(Duration.ofSeconds(60), Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS))
                    .isEqualTo("sleeping");
            pending = plain.ref().ask("silent", Timeouts.seconds(60));
        } finally {
            system.close();
        }

        for (ActorProcess p : List.of(idle, busy, plain)) {
            assertThat(p.isAlive()).as(p.name()).isFalse();
            assertThat(p.exitStatus()).as(p.name()).isPresent();
        }
        assertThat(neverStarted.isAlive()).isFalse();
        assertThat(ProcessHandle.current().descendants().toList()).as("descendants after close").isEmpty();

        assertThat(idle.exitStatus().orElseThrow().isClean()).isTrue();
        assertThat(idle.exitStatus().orElseThrow().reason()).isEqualTo(Reason.TERMINATED);
        assertThat(idleMarker).as("postStop of the idle actor ran").exists();
        ExitStatus busyStatus = busy.exitStatus().orElseThrow();
        assertThat(busyStatus.reason()).isEqualTo(Reason.TERMINATED);
        assertThat(busyStatus.signal()).as("killed after the grace period").isEqualTo(9);
        assertThat(failureOf(pending, 2)).isInstanceOf(ActorTerminatedException.class);

        system.close(); // idempotent
        assertThatThrownBy(() -> system.process(Props.create(TestActors.Doubler.class), "late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
