package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.FaultActors;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Actor-level supervision inside a child JVM, for what only another process shows: the asker in
 * the node gets the exception thrown in the child, and a failure past the guardian ends the
 * process as CRASHED (its restart policy then acts). The rules themselves are tested in one JVM by
 * {@link SupervisionTest} and {@code internal.core.ActorCellTest}.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class SupervisionAcrossProcessesTest {
    private static final Duration T = Timeouts.seconds(20);

    private static ActorSystem system(String supervision) {
        return ActorSystem.create("supervision", ConfigFactory.parseString("procactor.supervision { " + supervision + " }"));
    }

    private static <R> R ask(ActorRef ref, Object msg) throws Exception {
        return ref.<R>ask(msg, T).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void defaultGuardianRestartsTheActorWithFreshStateAndTheAskerGetsTheException() throws Exception {
        try (ActorSystem system = system("directive = restart")) {
            ActorRef c = system.spawnProcess(Props.create(FaultActors.Counter.class), "counter").ref();
            c.tell("inc");
            c.tell("inc");
            assertThat((Integer) ask(c, "get")).isEqualTo(2);
            int before = ask(c, "instance");
            assertThatThrownBy(() -> ask(c, "boom")).hasCauseInstanceOf(RemoteActorException.class)
                    .hasMessageContaining("IllegalStateException").hasMessageContaining("boom");
            assertThat((Integer) ask(c, "instance")).isEqualTo(before + 1);
            assertThat((Integer) ask(c, "get")).isZero();
        }
    }

    @Test
    void escalationFromTheGuardianEndsTheProcessAsCrashed() throws Exception {
        try (ActorSystem system = system("directive = escalate")) {
            ActorProcess proc = system.spawnProcess(Props.create(FaultActors.Counter.class), "counter");
            proc.ref().tell("boom");
            ExitStatus status = proc.onExit().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.CRASHED);
            assertThat(status.code()).isEqualTo(ExitStatus.ESCALATED_CODE);
            assertThat(status.detail()).contains("boom");
        }
    }

    @Test
    void exceedingTheRestartIntensityStopsAndEscalates() throws Exception {
        try (ActorSystem system = system("directive = restart, max-restarts = 2, within = 1m")) {
            ActorProcess proc = system.spawnProcess(Props.create(FaultActors.Counter.class), "counter");
            for (int i = 0; i < 3; i++) {
                proc.ref().tell("boom");
            }
            ExitStatus status = proc.onExit().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.CRASHED);
            assertThat(status.detail()).contains("boom");
        }
    }
}
