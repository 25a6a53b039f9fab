package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.FaultActors;
import io.procactor.testkit.ProcactorTest;
import io.procactor.testkit.ProcessFaults;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestProbe;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Death watch: Terminated exactly once, with the real cause, wherever watcher and target live.
 * One system for the class (the testkit closes it and checks that no child is left after the class).
 */
@ProcactorTest(name = "watch")
@SpawnsJvms
class DeathWatchTest {
    private static final Duration T = Timeouts.seconds(20);
    private static ActorSystem system;

    @BeforeAll
    static void start(ActorSystem classSystem) {
        system = classSystem;
    }

    private static List<String> seen(ActorRef watcher) throws Exception {
        return watcher.<List<String>>ask("terminated?", T).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void nodeWatcherLearnsOnceThatAKilledChildIsGone(TestProbe probe) throws Exception {
        ActorProcess target = system.spawnProcess(Props.create(FaultActors.Counter.class), "target1");
        probe.watch(target.ref());
        target.kill();
        Terminated t = probe.expectTerminated(target.ref());
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.KILLED);
        target.join(T);
        probe.expectNoMessage(Duration.ofMillis(200)); // once
    }

    @Test
    void aSigkillFromOutsideIsReportedAsKilledToo(TestProbe probe) throws Exception {
        ActorProcess target = system.spawnProcess(Props.create(FaultActors.Counter.class), "target6");
        probe.send(target.ref(), "get");
        probe.expectMessage(0, Duration.ofSeconds(60)); // up and running (the probe scales its bounds itself)
        probe.watch(target.ref());
        ProcessFaults.kill(target); // as the OOM killer would: the node did not ask for it
        Terminated t = probe.expectTerminated(target.ref());
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.KILLED);
        assertThat(t.status().signalNumber()).hasValue(9);
    }

    @Test
    void watcherInOneChildLearnsThatAnActorInAnotherChildDied() throws Exception {
        ActorProcess watcherProc = system.spawnProcess(Props.create(FaultActors.Watcher.class), "w2");
        ActorProcess target = system.spawnProcess(Props.create(FaultActors.Counter.class), "target2");
        watcherProc.ref().ask(target.ref(), T).get(T.toMillis(), TimeUnit.MILLISECONDS);
        target.ref().tell("exit");   // System.exit(3) inside the target's JVM
        await().atMost(T).until(() -> seen(watcherProc.ref()).size() == 1);
        assertThat(seen(watcherProc.ref())).containsExactly(target.ref().path() + " CRASHED");
        watcherProc.terminate();
        assertThat(watcherProc.join(T)).isTrue();
    }

    @Test
    void whenActorCodeCallsSystemExitEveryWatcherGetsTheProcessExitStatusOnce() throws Exception {
        ActorRef nodeWatcher = system.actorOf(Props.create(FaultActors.Watcher.class), "w5");
        ActorProcess childWatcher = system.spawnProcess(Props.create(FaultActors.Watcher.class), "w5c");
        ActorProcess target = system.spawnProcess(Props.create(FaultActors.Parent.class,
                FaultActors.Parent.strategy(false, SupervisorStrategy.Directive.RESTART)), "parent5");
        @SuppressWarnings("unchecked")
        List<ActorRef> kids = (List<ActorRef>) target.ref().ask("refs", T).get(T.toMillis(), TimeUnit.MILLISECONDS);
        // the actor that calls System.exit (a), the one it runs under (the parent) and a sibling (b):
        // the JVM's shutdown hook stops the last two, which is the process exiting, not a normal stop
        List<ActorRef> watched = List.of(kids.get(0), target.ref(), kids.get(1));
        for (ActorRef w : List.of(nodeWatcher, childWatcher.ref())) {
            for (ActorRef r : watched) {
                w.ask(r, T).get(T.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        target.ref().tell("a:exit"); // System.exit(3) on actor a's thread
        assertThat(target.join(T)).isTrue();

        ExitStatus exit = target.exitStatus().orElseThrow();
        assertThat(exit.code()).isEqualTo(3);
        assertThat(exit.reason()).isEqualTo(ExitStatus.Reason.CRASHED);
        for (ActorRef w : List.of(nodeWatcher, childWatcher.ref())) {
            await().atMost(T).until(() -> terminations(w).size() >= watched.size());
            List<Terminated> got = terminations(w);
            assertThat(got).extracting(Terminated::ref).containsExactlyInAnyOrderElementsOf(watched);
            assertThat(got).allSatisfy(t -> assertThat(t.status()).as("Terminated(%s) at %s", t.ref(), w).isEqualTo(exit));
        }
        childWatcher.terminate();
        assertThat(childWatcher.join(T)).isTrue();
    }

    private static List<Terminated> terminations(ActorRef watcher) throws Exception {
        return watcher.<List<Terminated>>ask("terminations?", T).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void watchingAnActorThatIsAlreadyGoneDeliversTerminatedAtOnce(TestProbe probe) throws Exception {
        ActorProcess target = system.spawnProcess(Props.create(FaultActors.Counter.class), "target3");
        target.kill();
        assertThat(target.join(T)).isTrue();
        assertThat(probe.expectTerminated(target.ref()).status().reason()).isEqualTo(ExitStatus.Reason.KILLED);
    }

    @Test
    void anActorStoppedByItsSupervisorIsReportedAsCrashed() throws Exception {
        ActorRef watcher = system.actorOf(Props.create(FaultActors.Watcher.class), "w4");
        ActorProcess parent = system.spawnProcess(Props.create(FaultActors.Parent.class,
                FaultActors.Parent.strategy(false, SupervisorStrategy.Directive.STOP)), "parent4");
        @SuppressWarnings("unchecked")
        List<ActorRef> kids = (List<ActorRef>) parent.ref().ask("refs", T).get(T.toMillis(), TimeUnit.MILLISECONDS);
        watcher.ask(kids.get(0), T).get(T.toMillis(), TimeUnit.MILLISECONDS);
        parent.ref().tell("a:boom");
        await().atMost(T).until(() -> seen(watcher).size() == 1);
        assertThat(seen(watcher).get(0)).isEqualTo(kids.get(0).path() + " CRASHED");
        parent.terminate();
        parent.join(T);
    }
}
