package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.TestActors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A child JVM that cannot start: asks sent meanwhile fail at once, with the cause. */
@ExtendWith(NoLeftoverProcesses.class)
class StartupFailureTest {
    @Test
    void askToAProcessWhoseJvmCannotStartFailsAtOnceWithTheCause() throws Exception {
        try (ActorSystem system = ActorSystem.create("nostart")) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "tiny",
                    ProcessOptions.defaults().jvmOptions("-Xmx1k"));
            CompletableFuture<Integer> f = p.ref().ask(1, Duration.ofSeconds(60));
            ExitStatus status = p.onExit().get(30, TimeUnit.SECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.STARTUP_FAILED);
            assertThat(String.join("\n", status.stderrTail())).contains("heap");
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ActorTerminatedException.class).hasMessageContaining("startup failed");
        }
    }
}
