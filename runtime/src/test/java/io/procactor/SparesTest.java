package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.internal.node.NodeRuntime;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: warm spare child JVMs (procactor.child.spares). A spare is given to the next process
 * that can use it (its pid predates the spawn, it answers under the process's name) on the
 * connection it opened while idle, is replaced after use and after dying idle (never reported as a
 * process), falls back to a cold start for other JVM options, and is killed when the system closes.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class SparesTest {
    private static final Duration T = Timeouts.seconds(60);

    private static ActorSystem system(String start) {
        return ActorSystem.create("spares", ConfigFactory.parseString("procactor.child { spares = 1, spares-start = " + start
                + " }").withFallback(ConfigFactory.load()));
    }

    private static long warmSpare(NodeRuntime node, long not) {
        await().atMost(T).until(() -> node.warmSpares() == 1 && node.sparePids().size() == 1 && node.sparePids().get(0) != not);
        return node.sparePids().get(0);
    }

    private static Object ask(ActorProcess p, Object message) throws Exception {
        return p.ref().ask(message, T).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aSpareIsUsedThenReplacedAndOneKilledWhileIdleIsReplacedQuietlyAndCloseKillsThem() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (ActorSystem system = system("system-start")) {
            NodeRuntime node = system.node();
            long spare = warmSpare(node, -1);
            pids.add(spare);

            ActorProcess a = system.spawnProcess(Props.create(TestActors.Doubler.class), "a");
            assertThat(a.pid()).isEqualTo(spare); // started before the request
            assertThat(ask(a, 21)).isEqualTo(42);
            assertThat(ask(a, "whoami")).isEqualTo("a " + spare + " " + system.pid());

            long replacement = warmSpare(node, spare);
            pids.add(replacement);
            ProcessHandle.of(replacement).orElseThrow().destroyForcibly(); // SIGKILL while idle
            long third = warmSpare(node, replacement);
            pids.add(third);
            assertThat(system.processes()).extracting(ActorProcess::name).containsExactly("a");
            assertThat(a.isAlive()).isTrue();
            assertThat(ask(a, 1)).isEqualTo(2);
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
        }
    }

    @Test
    void aProcessFromASpareKeepsTheSparesConnectionAndRestartsAfterItsJvmDies() throws Exception {
        try (ActorSystem system = system("system-start")) {
            NodeRuntime node = system.node();
            long spare = warmSpare(node, -1); // warm: connected and handshaked under its spare label

            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "p", ProcessOptions.defaults()
                    .restart(RestartPolicy.permanent().withBackoff(Duration.ofMillis(10), Duration.ofMillis(100), 0)));
            assertThat(p.pid()).isEqualTo(spare);
            assertThat(ask(p, "whoami")).isEqualTo("p " + spare + " " + system.pid());
            assertThat(node.processConnections()).as("connections opened under a process name").isZero();
            ActorProcess fwd = system.spawnProcess(Props.create(TestActors.Forwarder.class), "fwd");
            assertThat(ask(fwd, p.ref())).isEqualTo("ok");
            assertThat(ask(fwd, 7)).isEqualTo("via fwd: 14"); // a peer reaches p where the spare listened while idle

            p.ref().tell("exit:3"); // its JVM dies; the next incarnation starts in a spare or cold
            await().atMost(T).until(() -> p.restarts() == 1 && p.isAlive() && p.pid() != spare);
            assertThat(ask(p, 5)).isEqualTo(10);
            assertThat(ask(p, "whoami")).isEqualTo("p " + p.pid() + " " + system.pid());
            assertThat(ask(fwd, 8)).isEqualTo("via fwd: 16");
            assertThat(system.processes()).extracting(ActorProcess::name).containsExactlyInAnyOrder("p", "fwd");
        }
    }

    @Test
    void aProcessFromASpareReachesAPeerAndHearsItsReplies() throws Exception {
        try (ActorSystem system = system("system-start")) {
            NodeRuntime node = system.node();
            long spare = warmSpare(node, -1);
            // p came from the spare, so it connects to its peers with the transport the spare built while idle
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Forwarder.class), "p");
            assertThat(p.pid()).isEqualTo(spare);
            ActorProcess doubler = system.spawnProcess(Props.create(TestActors.Doubler.class), "d",
                    ProcessOptions.defaults().environment(java.util.Map.of("SPARES_TEST", "cold")));
            assertThat(doubler.pid()).isNotEqualTo(spare);
            assertThat(ask(p, doubler.ref())).isEqualTo("ok");
            assertThat(ask(p, 7)).isEqualTo("via p: 14"); // p asks d directly: its reply comes back to p
            assertThat(ask(p, 8)).isEqualTo("via p: 16");
        }
    }

    @Test
    void aSpareTakenBeforeItConnectedIsGivenItsProcessWhenItConnects() throws Exception {
        try (ActorSystem system = system("system-start")) {
            NodeRuntime node = system.node();
            // forked, most likely still starting its JVM: the hand-over waits for its connection
            await().atMost(T).pollInterval(Duration.ofMillis(5)).until(() -> node.sparePids().size() == 1);
            long spare = node.sparePids().get(0);
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "early");
            assertThat(p.pid()).isEqualTo(spare);
            assertThat(ask(p, 4)).isEqualTo(8);
            assertThat(ask(p, "whoami")).isEqualTo("early " + spare + " " + system.pid());
            assertThat(node.processConnections()).isZero();
        }
    }

    @Test
    void sparesStartAtTheFirstProcessThatCanUseOneAndOtherJvmOptionsStartCold() throws Exception {
        try (ActorSystem system = system("first-spawn")) {
            NodeRuntime node = system.node();
            ActorProcess own = system.spawnProcess(Props.create(TestActors.Doubler.class), "own",
                    ProcessOptions.defaults().jvmOptions("-Dspares.test=1"));
            assertThat(ask(own, 2)).isEqualTo(4);
            assertThat(node.sparePids()).isEmpty(); // a process no spare could serve starts none

            ActorProcess first = system.spawnProcess(Props.create(TestActors.Doubler.class), "first");
            long spare = warmSpare(node, first.pid());
            assertThat(ask(first, 3)).isEqualTo(6);

            long connections = node.processConnections();
            ActorProcess other = system.spawnProcess(Props.create(TestActors.Doubler.class), "other",
                    ProcessOptions.defaults().environment(java.util.Map.of("SPARES_TEST", "1")));
            assertThat(other.pid()).isNotEqualTo(spare);
            assertThat(ask(other, 4)).isEqualTo(8);
            assertThat(node.processConnections()).isEqualTo(connections + 1); // a cold JVM connects as its process
            assertThat(node.sparePids()).containsExactly(spare); // still idle
        }
    }

    @Test
    void sparesReadyStartsTheSparesAndCompletesWhenTheyAreWarmAndFailsOnceTheSystemIsClosed() throws Exception {
        ActorSystem system = system("first-spawn");
        try {
            NodeRuntime node = system.node();
            assertThat(node.sparePids()).as("first-spawn: none before a process or sparesReady()").isEmpty();
            java.util.concurrent.CompletableFuture<Void> ready = system.sparesReady();
            assertThat(ready).succeedsWithin(T);
            assertThat(node.warmSpares()).isEqualTo(1);
            long spare = node.sparePids().get(0);
            assertThat(system.sparesReady()).as("warm already: at once").succeedsWithin(T);

            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "p");
            assertThat(p.pid()).isEqualTo(spare);
            java.util.concurrent.CompletableFuture<Void> again = system.sparesReady(); // waits for the replacement
            assertThat(again).succeedsWithin(T);
            assertThat(node.sparePids()).hasSize(1).doesNotContain(spare);
            assertThat(node.warmSpares()).isEqualTo(1);
            assertThat(ask(p, 3)).isEqualTo(6);
        } finally {
            system.close();
        }
        assertThatThrownBy(system::sparesReady).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void sparesReadyWithoutSparesCompletesAtOnce() {
        try (ActorSystem system = ActorSystem.create("no-spares", ConfigFactory.parseString("procactor.child.spares = 0")
                .withFallback(ConfigFactory.load()))) {
            assertThat(system.sparesReady()).isCompleted();
            assertThat(system.node().sparePids()).isEmpty();
        }
    }
}
