package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TopologyActors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topologies run with real child JVMs: each way of being done, refs, pools with their own JVM options, failures. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class TopologyRunTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static Config config(String topology) {
        return ConfigLoader.load(new ConfigLoader.Sources(new Properties(), Map.of(), List.of(),
                ConfigFactory.parseString(topology), null, TopologyRunTest.class.getClassLoader()));
    }

    private List<String> printed() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void doneByMessageAfterAProcessWentThroughAPoolWithItsOwnJvmOptionsAndEnvironment() throws Exception {
        Config c = config("""
                procactor.topology {
                  processes.fanout { actor = "%s", args = ["ref:echoes", "ref:topology", 6], after = [echoes] }
                  pools.echoes {
                    actor = "%s"
                    size = 2
                    routing = round-robin
                    jvm-options = ["-Dtopology.prop=from-jvm-options"]
                    environment { TOPOLOGY_ENV = from-environment }
                  }
                  start { to = fanout, message = go }
                  done { when = message, message = done }
                }
                """.formatted(TopologyActors.Fanout.class.getName(), TopologyActors.Echo.class.getName()));
        Topology topology = Topology.load(c);

        try (ActorSystem system = ActorSystem.create("topology-message", c)) {
            Topology.Result r = topology.run(system, out);

            assertThat(r.ending()).isEqualTo(Topology.Ending.MESSAGE);
            assertThat(printed()).containsExactly(
                    "echoes-1 from-environment from-jvm-options",
                    "echoes-2 from-environment from-jvm-options",
                    "fanout: 6 replies");
            assertThat(r.exits()).containsOnlyKeys("fanout");
            assertThat(r.exits().get("fanout").reason()).isEqualTo(ExitStatus.Reason.TERMINATED);
            assertThat(system.processes()).as("the run stops what it started").noneMatch(ActorProcess::isAlive);
        }
    }

    @Test
    void doneByDuration() throws Exception {
        Config c = config("""
                procactor.topology {
                  processes.idle { actor = "%s", args = [1, "1s"] }
                  done { when = duration, after = 1s }
                }
                """.formatted(TopologyActors.Idle.class.getName()));

        try (ActorSystem system = ActorSystem.create("topology-duration", c)) {
            Topology.Result r = Topology.load(c).run(system, out);

            assertThat(r.ending()).isEqualTo(Topology.Ending.DURATION);
            assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(r.exits().get("idle").isClean()).as(r.exits().toString()).isTrue();
            assertThat(printed()).isEmpty();
        }
    }

    @Test
    void doneWhenEveryProcessExited() throws Exception {
        Config c = config("""
                procactor.topology {
                  processes.quitter { actor = "%s" }
                  start { to = quitter, message = 1 }
                  done.when = exit
                }
                """.formatted(TopologyActors.StopsOnStart.class.getName()));

        try (ActorSystem system = ActorSystem.create("topology-exit", c)) {
            Topology.Result r = Topology.load(c).run(system, out);

            assertThat(r.ending()).isEqualTo(Topology.Ending.EXITED);
            assertThat(r.exits().get("quitter").reason()).isEqualTo(ExitStatus.Reason.NORMAL);
        }
    }

    @Test
    void aProcessThatCannotStartFailsTheRunNamingIt() {
        Config c = config("""
                procactor.topology {
                  processes.broken { actor = "%s" }
                  processes.after-broken { actor = "%s", args = [2, "1s"], after = [broken] }
                  done { when = duration, after = 60s }
                }
                """.formatted(TopologyActors.FailsToStart.class.getName(), TopologyActors.Idle.class.getName()));

        try (ActorSystem system = ActorSystem.create("topology-failure", c)) {
            assertThatThrownBy(() -> Topology.load(c).run(system, out))
                    .isInstanceOf(ActorException.class)
                    .hasMessageContaining("process [broken]")
                    .hasMessageContaining("boom at start");
            assertThat(system.processes()).extracting(ActorProcess::name).as("after-broken never started")
                    .contains("broken", "after-broken");
            assertThat(system.processes()).noneMatch(ActorProcess::isAlive);
        }
    }
}
