package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.SupervisorStrategy.Directive;
import io.procactor.testkit.FaultActors;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Actor-level supervision inside a child JVM: what happens to an actor whose onReceive throws. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class SupervisionTest {
    private static final Duration T = Duration.ofSeconds(20);

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
    void resumeKeepsTheInstanceAndItsState() throws Exception {
        try (ActorSystem system = system("directive = resume")) {
            ActorRef c = system.spawnProcess(Props.create(FaultActors.Counter.class), "counter").ref();
            c.tell("inc");
            int before = ask(c, "instance");
            assertThatThrownBy(() -> ask(c, "boom")).hasCauseInstanceOf(RemoteActorException.class);
            assertThat((Integer) ask(c, "instance")).isEqualTo(before);
            assertThat((Integer) ask(c, "get")).isEqualTo(1);
        }
    }

    @Test
    void oneForOneRestartsOnlyTheFailingChild() throws Exception {
        try (ActorSystem system = system("directive = restart")) {
            ActorRef p = system.spawnProcess(Props.create(FaultActors.Parent.class,
                    FaultActors.Parent.strategy(false, Directive.RESTART)), "parent").ref();
            p.tell("a:inc");
            p.tell("b:inc");
            p.tell("b:inc");
            assertThat((Integer) ask(p, "b:get")).isEqualTo(2);
            assertThatThrownBy(() -> ask(p, "a:boom")).hasCauseInstanceOf(RemoteActorException.class);
            assertThat((Integer) ask(p, "a:get")).isZero();
            assertThat((Integer) ask(p, "b:get")).isEqualTo(2);
        }
    }

    @Test
    void allForOneRestartsTheSiblingsToo() throws Exception {
        try (ActorSystem system = system("directive = restart")) {
            ActorRef p = system.spawnProcess(Props.create(FaultActors.Parent.class,
                    FaultActors.Parent.strategy(true, Directive.RESTART)), "parent").ref();
            p.tell("a:inc");
            p.tell("b:inc");
            assertThat((Integer) ask(p, "b:get")).isEqualTo(1);
            assertThatThrownBy(() -> ask(p, "a:boom")).hasCauseInstanceOf(RemoteActorException.class);
            assertThat((Integer) ask(p, "a:get")).isZero();
            assertThat((Integer) ask(p, "b:get")).isZero();
        }
    }

    @Test
    void stopDirectiveStopsTheChildAndLaterAsksFailAtOnce() throws Exception {
        try (ActorSystem system = system("directive = restart")) {
            ActorRef p = system.spawnProcess(Props.create(FaultActors.Parent.class,
                    FaultActors.Parent.strategy(false, Directive.STOP)), "parent").ref();
            assertThatThrownBy(() -> ask(p, "a:boom")).hasCauseInstanceOf(RemoteActorException.class);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ask(p, "a:get")).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ActorTerminatedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat((Integer) ask(p, "b:get")).isZero();
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
