package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.topology.TopologySpec;
import io.procactor.testkit.TopologyActors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topology files: what a valid one becomes, and each rule that rejects one, with the key path,
 * value, file and line and the fix. Nothing here starts a JVM: checked after every test.
 */
class TopologyTest {
    private static final String ECHO = TopologyActors.Echo.class.getName();
    private static final String FANOUT = TopologyActors.Fanout.class.getName();
    private static final String IDLE = TopologyActors.Idle.class.getName();
    private static final String PEER = TopologyActors.Peer.class.getName();

    @TempDir
    Path dir;
    private long childrenBefore;

    @BeforeEach
    void countChildren() {
        childrenBefore = ProcessHandle.current().children().count();
    }

    @AfterEach
    void noProcessWasStarted() {
        assertThat(ProcessHandle.current().children().count()).as("child processes").isEqualTo(childrenBefore);
    }

    private Path file;

    private Config config(String content, String... sets) throws IOException {
        file = Files.writeString(dir.resolve("topology.conf"), content);
        return ConfigLoader.load(new ConfigLoader.Sources(new Properties(), Map.of(), List.of(sets),
                ConfigLoader.parseFile(file), null, getClass().getClassLoader()));
    }

    private TopologySpec spec(String content, String... sets) throws IOException {
        return TopologySpec.parse(config(content, sets), getClass().getClassLoader());
    }

    private String failureOf(String content, String... sets) throws IOException {
        Config c = config(content, sets);
        try {
            Topology.load(c);
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigurationException for\n" + content);
    }

    private String at(int line) {
        return "(set at " + file + ": " + line + ")";
    }

    private static final String VALID = """
            procactor.topology {
              processes {
                fanout {
                  actor = "%s"
                  args = ["ref:echoes", "ref:topology", 10]
                  after = [echoes]
                  restart = { type = transient, max-restarts = 2, within = 10s, min-backoff = 50ms, max-backoff = 1s, jitter = 0.1 }
                  jvm-options = ["-Xmx48m"]
                  environment { MODE = fast, LEVEL = 3 }
                }
                idle { actor = "%s", args = [7, "250ms"], restart = permanent }
              }
              pools {
                echoes {
                  actor = "%s"
                  size = 3
                  routing = consistent-hashing
                  chunk-size = 5
                  prefetch = 2
                  max-tasks-per-child = 100
                  retries = 1
                  task-timeout = 30s
                  jvm-options = ["-Dtopology.prop=x"]
                  environment { TOPOLOGY_ENV = pooled }
                }
              }
              start { to = fanout, message = "go" }
              done { when = message, message = "finished" }
            }
            """.formatted(FANOUT, IDLE, ECHO);

    // ---- what a valid topology becomes ----

    @Test
    void aValidTopologyIsReadCompletely() throws IOException {
        TopologySpec t = spec(VALID);

        assertThat(t.order()).containsExactly("idle", "echoes", "fanout");
        TopologySpec.Entry fanout = t.entries().get("fanout");
        assertThat(fanout.pool()).isFalse();
        assertThat(fanout.after()).containsExactly("echoes");
        assertThat(fanout.args()).containsExactly(new TopologySpec.RefArg("echoes"), new TopologySpec.RefArg("topology"), 10);
        assertThat(fanout.processOptions().jvmOptions()).containsExactly("-Xmx48m");
        assertThat(fanout.processOptions().environment()).isEqualTo(Map.of("MODE", "fast", "LEVEL", "3"));
        RestartPolicy r = fanout.processOptions().restart();
        assertThat(r.type()).isEqualTo(RestartPolicy.Type.TRANSIENT);
        assertThat(r.maxRestarts()).isEqualTo(2);
        assertThat(r.within()).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.minBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(r.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.jitter()).isEqualTo(0.1);
        assertThat(t.entries().get("idle").processOptions().restart().type()).isEqualTo(RestartPolicy.Type.PERMANENT);

        PoolOptions p = t.entries().get("echoes").poolOptions();
        assertThat(p.name()).isEqualTo("echoes");
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.routing()).isEqualTo(Routing.CONSISTENT_HASHING);
        assertThat(p.chunkSize()).isEqualTo(5);
        assertThat(p.prefetch()).isEqualTo(2);
        assertThat(p.maxTasksPerChild()).isEqualTo(100);
        assertThat(p.retries()).isEqualTo(1);
        assertThat(p.taskTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.workerOptions().jvmOptions()).containsExactly("-Dtopology.prop=x");
        assertThat(p.workerOptions().environment()).containsEntry("TOPOLOGY_ENV", "pooled");
        assertThat(p.workerOptions().restart().type()).isEqualTo(RestartPolicy.Type.TEMPORARY);

        assertThat(t.start()).isEqualTo(new TopologySpec.Start("fanout", "go"));
        assertThat(t.done()).isEqualTo(new TopologySpec.Done(TopologySpec.When.MESSAGE, "finished", null));
    }

    @Test
    void argumentsAreConvertedToTheConstructorsParameterTypes() throws IOException {
        Props props = spec(VALID).entries().get("idle").props(name -> null);

        assertThat(props.args()).containsExactly(7L, Duration.ofMillis(250)); // Idle(long, Duration) from [7, "250ms"]
    }

    @Test
    void thePublicApiReportsOrderAndKinds() throws IOException {
        Topology t = Topology.load(config(VALID));

        assertThat(t.startOrder()).containsExactly("idle", "echoes", "fanout");
        assertThat(t.isPool("echoes")).isTrue();
        assertThat(t.isPool("fanout")).isFalse();
        assertThat(t.sample()).isEmpty();
    }

    @Test
    void setOverridesAKeyOfTheTopology() throws IOException {
        TopologySpec t = spec(VALID, "procactor.topology.pools.echoes.size=5", "procactor.topology.done.when=duration",
                "procactor.topology.done.after=2s");

        assertThat(t.entries().get("echoes").poolOptions().size()).isEqualTo(5);
        assertThat(t.done()).isEqualTo(new TopologySpec.Done(TopologySpec.When.DURATION, null, Duration.ofSeconds(2)));
    }

    @Test
    void refsMayFormARingWithoutAfterEntries() throws IOException {
        TopologySpec t = spec("""
                procactor.topology.processes {
                  a { actor = "%s", args = ["ref:b"] }
                  b { actor = "%s", args = ["ref:a"] }
                }
                """.formatted(PEER, PEER));

        assertThat(t.order()).containsExactly("a", "b");
        assertThat(t.done().when()).isEqualTo(TopologySpec.When.CTRL_C);
    }

    @Test
    void aTopologyMayJustNameASample() throws IOException {
        Topology t = Topology.load(config("procactor.topology.sample = sleepers\nprocactor.transport.kind = tcp\n"));

        assertThat(t.sample()).contains("sleepers");
        assertThat(t.startOrder()).isEmpty();
    }

    // ---- rejections ----

    @Test
    void aSampleWithProcessesIsRejected() throws IOException {
        assertThat(failureOf("procactor.topology {\n sample = hello\n processes.a.actor = \"" + ECHO + "\"\n}\n"))
                .isEqualTo("procactor.topology.processes cannot be used with procactor.topology.sample " + at(3)
                        + "; a topology either names a sample or declares its processes and pools: remove one of them");
    }

    @Test
    void aMissingClassNamesTheKeyPathAndTheFix() throws IOException {
        assertThat(failureOf("procactor.topology.processes.producer {\n  actor = \"com.acme.Producr\"\n}\n"))
                .isEqualTo("procactor.topology.processes.producer.actor must name an actor class on the class path, "
                        + "was [com.acme.Producr] " + at(2)
                        + "; check the spelling (package included), or add the jar or directory that holds it to "
                        + "procactor.topology.class-path = [...] (bin/procactor: run --class-path PATH)");
    }

    @Test
    void theClassPathIsRelativeToItsFileAndTheActorClassesLoadThroughIt() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("lib").resolve("classes"));
        TopologySpec s = spec("procactor.topology {\n  class-path = [\"lib/classes\"]\n  processes.a.actor = \"" + ECHO + "\"\n}\n");

        assertThat(s.classPath()).containsExactly(classes);
        assertThat(s.classLoader()).isInstanceOf(java.net.URLClassLoader.class);
        assertThat(((java.net.URLClassLoader) s.classLoader()).getURLs()).containsExactly(classes.toUri().toURL());
        assertThat(s.classLoader().getParent()).isSameAs(getClass().getClassLoader());
        assertThat(spec(VALID).classLoader()).isSameAs(getClass().getClassLoader());
    }

    @Test
    void aClassPathEntryThatDoesNotExistIsNamedWithWhereItWasLookedFor() throws IOException {
        assertThat(failureOf("procactor.topology {\n  class-path = [\"lib/actors.jar\"]\n  processes.a.actor = \"" + ECHO + "\"\n}\n"))
                .isEqualTo("procactor.topology.class-path must be a list of jars and directories holding the topology's actor "
                        + "classes, e.g. [\"lib/my-actors.jar\", \"build/classes\"]; [lib/actors.jar] does not exist (looked for "
                        + dir.resolve("lib/actors.jar") + "), was [[\"lib/actors.jar\"]] " + at(2));
    }

    @Test
    void aClassThatIsNotAnActorIsRejected() throws IOException {
        assertThat(failureOf("procactor.topology.pools.w.actor = java.lang.String\n"))
                .isEqualTo("procactor.topology.pools.w.actor must name a subclass of io.procactor.Actor, but [java.lang.String] "
                        + "is not one, was [java.lang.String] " + at(1));
    }

    @Test
    void argumentsThatFitNoConstructorAreRejectedWithTheConstructors() throws IOException {
        assertThat(failureOf("procactor.topology.processes.i { actor = \"" + IDLE + "\", args = [\"seven\", \"250ms\"] }\n"))
                .startsWith("procactor.topology.processes.i.args must fit a public constructor of [" + IDLE + "], was [seven, 250ms] "
                        + at(1))
                .contains("public constructors: [Idle(long, Duration)]");
        assertThat(failureOf("procactor.topology.processes.p { actor = \"" + PEER + "\", args = [1] }\n"))
                .contains("public constructors: [Peer(ActorRef)]");
    }

    @Test
    void anUnknownRoutingListsTheAllowedOnes() throws IOException {
        assertThat(failureOf("procactor.topology.pools.w {\n actor = \"" + ECHO + "\"\n routing = fastest\n}\n"))
                .isEqualTo("procactor.topology.pools.w.routing must be one of work-pulling, round-robin, random, least-loaded, "
                        + "consistent-hashing, broadcast, was [fastest] " + at(3));
    }

    @Test
    void aPoolSizeOutOfRangeIsRejected() throws IOException {
        String pool = "procactor.topology.pools.w {\n actor = \"" + ECHO + "\"\n size = %s\n}\n";
        assertThat(failureOf(pool.formatted("-1"))).isEqualTo(
                "procactor.topology.pools.w.size must be an integer between 1 and 1024 (worker processes), was [-1] " + at(3));
        assertThat(failureOf(pool.formatted("0"))).contains("was [0]");
        assertThat(failureOf(pool.formatted("two"))).contains("was [two]");
    }

    @Test
    void aCycleInTheStartupOrderIsReportedWithItsPath() throws IOException {
        String m = failureOf("""
                procactor.topology.processes {
                  a { actor = "%s", after = [b] }
                  b { actor = "%s", after = [c] }
                  c { actor = "%s", after = [a] }
                }
                """.formatted(ECHO, ECHO, ECHO));

        assertThat(m).startsWith("procactor.topology has a cycle in its startup order: a -> b -> c -> a " + at(2))
                .contains("remove one of these after entries");
    }

    @Test
    void aProcessAfterItselfIsACycle() throws IOException {
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", after = [a] }\n"))
                .startsWith("procactor.topology has a cycle in its startup order: a -> a " + at(1));
    }

    @Test
    void unknownNamesInAfterStartAndRefsAreRejected() throws IOException {
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", after = [b] }\n"))
                .isEqualTo("procactor.topology.processes.a.after[0] must name a process or pool of this topology, one of [a], "
                        + "was [b] " + at(1));
        assertThat(failureOf("procactor.topology {\n processes.a.actor = \"" + ECHO + "\"\n start { to = b, message = go }\n}\n"))
                .isEqualTo("procactor.topology.start.to must name a process or pool of this topology, one of [a], was [b] " + at(3));
        assertThat(failureOf("procactor.topology.processes.p { actor = \"" + PEER + "\", args = [\"ref:nobody\"] }\n"))
                .isEqualTo("procactor.topology.processes.p.args[0] must refer to a process or pool of this topology or to the "
                        + "runner: one of [ref:p, ref:topology], was [ref:nobody] " + at(1));
    }

    @Test
    void anUnknownDoneConditionListsTheAllowedOnes() throws IOException {
        assertThat(failureOf("procactor.topology {\n processes.a.actor = \"" + ECHO + "\"\n done.when = never\n}\n"))
                .isEqualTo("procactor.topology.done.when must be one of message, duration, exit, ctrl-c, was [never] " + at(3));
        assertThat(failureOf("procactor.topology {\n processes.a.actor = \"" + ECHO + "\"\n done.when = duration\n}\n"))
                .startsWith("procactor.topology.done.after is missing")
                .endsWith("; with when = duration, say how long the topology runs, e.g. after = 10s");
        assertThat(failureOf("procactor.topology {\n pools.a.actor = \"" + ECHO + "\"\n done.when = exit\n}\n"))
                .startsWith("procactor.topology.done.when = exit needs at least one process");
    }

    @Test
    void anUnknownKeyGetsADidYouMean() throws IOException {
        assertThat(failureOf("procactor.topology.processes.a {\n actor = \"" + ECHO + "\"\n jvm-opts = [\"-Xmx8m\"]\n}\n"))
                .isEqualTo("procactor.topology.processes.a.jvm-opts is not a key of a process " + at(3)
                        + "; did you mean procactor.topology.processes.a.jvm-options? Known keys: actor, after, args, environment, "
                        + "jvm-options, restart");
        assertThat(failureOf("procactor.topology.proceses.a.actor = \"" + ECHO + "\"\n"))
                .startsWith("procactor.topology.proceses is not a key of a topology " + at(1)
                        + "; did you mean procactor.topology.processes?");
    }

    @Test
    void aPoolHasNoRestartPolicy() throws IOException {
        assertThat(failureOf("procactor.topology.pools.w { actor = \"" + ECHO + "\", restart = permanent }\n"))
                .contains("procactor.topology.pools.w.restart is not a key of a pool")
                .contains("a pool replaces dead workers itself");
    }

    @Test
    void invalidAndReservedNamesAreRejected() throws IOException {
        assertThat(failureOf("procactor.topology.processes.\"bad name\".actor = \"" + ECHO + "\"\n"))
                .startsWith("procactor.topology.processes.\"bad name\": the name [bad name] must be 1 to 64 letters");
        assertThat(failureOf("procactor.topology.processes.topology.actor = \"" + ECHO + "\"\n"))
                .startsWith("procactor.topology.processes.topology: the name [topology] is reserved");
        assertThat(failureOf("procactor.topology {\n processes.w.actor = \"" + ECHO + "\"\n pools.w.actor = \"" + ECHO + "\"\n}\n"))
                .startsWith("procactor.topology.pools.w: the name [w] is already used by procactor.topology.processes.w");
        assertThat(failureOf("procactor.topology {\n processes.w-2.actor = \"" + ECHO + "\"\n pools.w.actor = \"" + ECHO + "\"\n}\n"))
                .startsWith("procactor.topology.processes.w-2: the name [w-2] is taken by the worker processes of pool [w]");
    }

    @Test
    void anEmptyTopologyIsRejected() throws IOException {
        assertThat(failureOf("procactor.topology { }\n")).startsWith("procactor.topology declares no processes and no pools");
        assertThat(failureOf("procactor.topology.processes.a.args = []\n"))
                .startsWith("procactor.topology.processes.a.actor is missing");
    }

    @Test
    void invalidProcessOptionsAreRejected() throws IOException {
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", jvm-options = [\"Xmx8m\"] }\n"))
                .startsWith("procactor.topology.processes.a.jvm-options[0] must be a list of JVM options, each starting with '-'")
                .endsWith("was [Xmx8m] " + at(1));
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", environment { a.b = 1 } }\n"))
                .startsWith("procactor.topology.processes.a.environment.a must be a string, number or boolean");
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", restart = sometimes }\n"))
                .isEqualTo("procactor.topology.processes.a.restart must be one of permanent, transient, temporary, was [sometimes] "
                        + at(1));
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", restart { type = permanent, jitter = 2 } }\n"))
                .startsWith("procactor.topology.processes.a.restart.jitter must be a number between 0 and 1");
        assertThat(failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", restart { typ = permanent } }\n"))
                .contains("did you mean procactor.topology.processes.a.restart.type?");
    }

    @Test
    void aStartMessageMustBeAScalar() throws IOException {
        assertThat(failureOf("procactor.topology {\n processes.a.actor = \"" + ECHO + "\"\n start { to = a, message = [1] }\n}\n"))
                .isEqualTo("procactor.topology.start.message must be a string, number or boolean, was [[1]] " + at(3));
    }

    @Test
    void setOfADoneKeyThatTheDoneConditionDoesNotReadIsRejected() throws IOException {
        assertThat(failureOf(VALID, "procactor.topology.done.after=3s")).isEqualTo(
                "procactor.topology.done.after is read only with procactor.topology.done.when = duration, but when is [message], "
                        + "was [3s] (set at --set procactor.topology.done.after=3s); add --set procactor.topology.done.when=duration, "
                        + "or leave this --set out");
        // the file's own done.message is left alone when --set switches the condition
        assertThat(spec(VALID, "procactor.topology.done.when=ctrl-c").done())
                .isEqualTo(new TopologySpec.Done(TopologySpec.When.CTRL_C, null, null));
    }

    @Test
    void aSetThatDeclaresAnEntryByAMisspelledNameSaysWhereItCameFrom() throws IOException {
        assertThat(failureOf(VALID, "procactor.topology.pools.echos.size=3")).isEqualTo(
                "procactor.topology.pools.echos.actor is missing (set at --set procactor.topology.pools.echos.size=3); name the "
                        + "actor class the pool's workers host, e.g. actor = \"com.acme.Worker\"");
    }

    @Test
    void everyProblemOfATopologyIsReportedOnePerLineInTheOrderFound() throws IOException {
        String m = failureOf("""
                procactor.topology {
                  processes {
                    a { actor = "com.acme.Nope", jvm-options = ["Xmx8m"] }
                    b { actor = "%s", after = [zz], restart = sometimes }
                  }
                  pools.w { actor = "%s", size = 0, routing = fastest }
                  start { to = nobody, message = go }
                  done.when = never
                }
                """.formatted(ECHO, ECHO));

        List<String> lines = m.lines().toList();
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).startsWith("procactor.topology.processes.a.actor must name an actor class on the class path, "
                + "was [com.acme.Nope] " + at(3));
        assertThat(lines.get(1)).startsWith("procactor.topology.processes.a.jvm-options[0] must be a list of JVM options")
                .endsWith("was [Xmx8m] " + at(3));
        assertThat(lines.get(2)).isEqualTo("procactor.topology.processes.b.after[0] must name a process or pool of this "
                + "topology, one of [a, b, w], was [zz] " + at(4));
        assertThat(lines.get(3)).isEqualTo("procactor.topology.processes.b.restart must be one of permanent, transient, "
                + "temporary, was [sometimes] " + at(4));
        assertThat(lines.get(4)).isEqualTo("procactor.topology.pools.w.size must be an integer between 1 and 1024 (worker "
                + "processes), was [0] " + at(6));
        assertThat(lines.get(5)).startsWith("procactor.topology.pools.w.routing must be one of work-pulling");
        assertThat(lines.get(6)).isEqualTo("procactor.topology.start.to must name a process or pool of this topology, one of "
                + "[a, b, w], was [nobody] " + at(7));
        assertThat(lines.get(7)).isEqualTo("procactor.topology.done.when must be one of message, duration, exit, ctrl-c, was "
                + "[never] " + at(8));
    }

    @Test
    void everyInvalidKeyOfARestartPolicyIsReported() throws IOException {
        List<String> lines = failureOf("procactor.topology.processes.a { actor = \"" + ECHO + "\", restart { type = permanent, "
                + "max-restarts = -1, jitter = 2 } }\n").lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("procactor.topology.processes.a.restart.max-restarts must be an integer of 0 or more");
        assertThat(lines.get(1)).startsWith("procactor.topology.processes.a.restart.jitter must be a number between 0 and 1");
    }

    @Test
    void aCycleIsReportedWithTheOtherProblems() throws IOException {
        List<String> lines = failureOf("""
                procactor.topology.processes {
                  a { actor = "com.acme.Nope", after = [b] }
                  b { actor = "%s", after = [a] }
                }
                """.formatted(ECHO)).lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("procactor.topology.processes.a.actor must name an actor class on the class path");
        assertThat(lines.get(1)).startsWith("procactor.topology has a cycle in its startup order: a -> b -> a " + at(2));
    }

    @Test
    void settingsErrorsAndTopologyErrorsAreBothConfigurationExceptions() throws IOException {
        Config c = config("procactor.topology.processes.a.actor = nope\n");

        assertThatThrownBy(() -> Topology.load(c)).isInstanceOf(ConfigurationException.class).isInstanceOf(ActorException.class);
        assertThat(Topology.isDefined(c)).isTrue();
        assertThat(Topology.isDefined(config("a = 1\n"))).isFalse();
    }
}
