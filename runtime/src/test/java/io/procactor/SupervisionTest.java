package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.SupervisorStrategy.Directive;
import io.procactor.testkit.FaultActors;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Actor-level supervision with the node's own actors ({@code system.actorOf}): what happens to an
 * actor whose onReceive throws, in this JVM alone. {@link SupervisionAcrossProcessesTest} keeps
 * what only a child JVM shows (the asker in another process, a process that exits CRASHED);
 * {@code internal.core.ActorCellTest} pins the same rules on the test's thread with a manual clock.
 */
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
            ActorRef c = system.actorOf(Props.create(FaultActors.Counter.class), "counter");
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
            ActorRef c = system.actorOf(Props.create(FaultActors.Counter.class), "counter");
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
            ActorRef p = system.actorOf(Props.create(FaultActors.Parent.class,
                    FaultActors.Parent.strategy(false, Directive.RESTART)), "parent");
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
            ActorRef p = system.actorOf(Props.create(FaultActors.Parent.class,
                    FaultActors.Parent.strategy(true, Directive.RESTART)), "parent");
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
            ActorRef p = system.actorOf(Props.create(FaultActors.Parent.class,
                    FaultActors.Parent.strategy(false, Directive.STOP)), "parent");
            assertThatThrownBy(() -> ask(p, "a:boom")).hasCauseInstanceOf(RemoteActorException.class);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ask(p, "a:get")).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ActorTerminatedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat((Integer) ask(p, "b:get")).isZero();
        }
    }

    @Test
    void escalationFromTheGuardianStopsANodeActorForGood() throws Exception {
        try (ActorSystem system = system("directive = escalate")) {
            ActorRef c = system.actorOf(Props.create(FaultActors.Counter.class), "counter");
            assertThatThrownBy(() -> ask(c, "boom")).hasCauseInstanceOf(RemoteActorException.class);
            assertThatThrownBy(() -> ask(c, "get")).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ActorTerminatedException.class);
        }
    }

    @Test
    void exceedingTheRestartIntensityStopsTheActor() throws Exception {
        try (ActorSystem system = system("directive = restart, max-restarts = 2, within = 1m")) {
            ActorRef c = system.actorOf(Props.create(FaultActors.Counter.class), "counter");
            for (int i = 0; i < 2; i++) {
                c.tell("boom");
            }
            assertThat((Integer) ask(c, "get")).as("alive after two restarts").isZero();
            c.tell("boom");
            assertThatThrownBy(() -> ask(c, "get")).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ActorTerminatedException.class);
        }
    }
}
