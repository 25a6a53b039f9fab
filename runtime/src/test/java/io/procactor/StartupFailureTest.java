package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A child JVM that cannot start, or that fails its handshake: asks sent meanwhile fail at once, with the cause. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class StartupFailureTest {
    @Test
    void askToAProcessWhoseJvmCannotStartFailsAtOnceWithTheCause() throws Exception {
        try (ActorSystem system = ActorSystem.create("nostart")) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "tiny",
                    ProcessOptions.defaults().jvmOptions("-Xmx1k"));
            CompletableFuture<Integer> f = p.ref().ask(1, Timeouts.seconds(60));
            ExitStatus status = p.onExit().get(30, TimeUnit.SECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.STARTUP_FAILED);
            assertThat(String.join("\n", status.stderrTail())).contains("heap");
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ActorTerminatedException.class).hasMessageContaining("startup failed");
        }
    }

    /**
     * A launch that fails before the JVM runs (here: one argument longer than Linux takes, 128 KiB)
     * finishes the process inside the handle's launch, under its lock. The process's exit callbacks
     * must not run there: one that waited for a lock of the user's, held by a thread calling
     * terminate() on this process, would hang both.
     */
    @Test
    void aLaunchThatFailsRunsTheExitCallbacksOutsideTheProcesssLock() throws Exception {
        try (ActorSystem system = ActorSystem.create("e2big")) {
            ActorProcess p = system.process(Props.create(TestActors.Doubler.class), "huge-argument",
                    ProcessOptions.defaults().jvmOptions("-Dhuge=" + "x".repeat(200_000)));
            AtomicReference<Boolean> underLock = new AtomicReference<>();
            CompletableFuture<ExitStatus> seen = p.onExit().whenComplete((s, e) -> underLock.set(Thread.holdsLock(p)));

            assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot start process [huge-argument]");
            ExitStatus status = seen.get(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.STARTUP_FAILED);
            assertThat(underLock.get()).as("the callback ran holding the process's lock").isFalse();
        }
    }

    @Test
    void aChildThatConnectsButFailsItsHandshakeIsReportedAsStartupFailed() throws Exception {
        // a lambda's class is hidden: the node accepts the child's HELLO, then the child cannot load it from WELCOME
        Runnable unloadable = () -> { };
        try (ActorSystem system = ActorSystem.builder("badtable").register(unloadable.getClass(), 1000).build()) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "badtable");
            ExitStatus status = p.onExit().get(60, TimeUnit.SECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.STARTUP_FAILED);
            assertThat(status.code()).isEqualTo(ExitStatus.STARTUP_FAILED_CODE);
            assertThat(status.detail()).contains("connected to the node").contains("before it was ready");
            assertThat(String.join("\n", status.stderrTail())).contains("HandshakeException")
                    .contains("cannot be loaded in this process");
        }
    }

    @Test
    void aJvmOptionTheJvmRefusesIsNamedWithWhereItWasSetAndTheJvmsMessage() throws Exception {
        com.typesafe.config.Config config = com.typesafe.config.ConfigFactory.parseString(
                "procactor.process.jvm-options = [\"-XX:+UseSerialGC\", \"-Xmx10GB\"]");
        try (ActorSystem system = ActorSystem.create("badoption", config)) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "big-heap");
            ExitStatus status = p.onExit().get(Timeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.STARTUP_FAILED);
            assertThat(status.detail()).contains("the JVM refused option [-Xmx10GB]")
                    .contains("set in procactor.process.jvm-options").contains("Invalid maximum heap size: -Xmx10GB");
        }
    }
}
