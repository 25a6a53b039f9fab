package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code procactor run FILE} and {@code procactor config FILE}, end to end as separate JVMs, on the shipped topologies. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class TopologyCliTest {
    private static final Duration QUICK = Timeouts.seconds(60);
    private static final Duration RUN = Timeouts.seconds(180);
    private static final String DONE = "topology \\[%s] done \\(done message received\\) after \\d+\\.\\d\\d s";

    private static void assertNoErrorsLogged(Cli.Result r) {
        assertThat(r.stderr()).as(r.toString()).doesNotContain(" ERROR ", " WARN ");
    }

    @Test
    void thePipelinePrintsItsCountsAndExitsZero() {
        Cli.Result r = Cli.run(RUN, "run", "config/topologies/pipeline.conf");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.linesContaining("pipeline: ")).as(r.toString()).containsExactly(
                "pipeline: produced 1000",
                "pipeline: processed by workers-1: 500",
                "pipeline: processed by workers-2: 500",
                "pipeline: collected 1000 (sum of squares 333833500)");
        List<String> lines = r.lines();
        assertThat(lines.get(lines.size() - 1)).matches(DONE.formatted("pipeline"));
        assertNoErrorsLogged(r);
    }

    @Test
    void setOverridesChangeTheRun() {
        Cli.Result r = Cli.run(RUN, "run", "config/topologies/pipeline.conf",
                "--set", "procactor.topology.pools.workers.size=3", "--set", "pipeline.items=300");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.linesContaining("pipeline: ")).as(r.toString()).containsExactly(
                "pipeline: produced 300",
                "pipeline: processed by workers-1: 100",
                "pipeline: processed by workers-2: 100",
                "pipeline: processed by workers-3: 100",
                "pipeline: collected 300 (sum of squares 9045050)");
    }

    @Test
    void thePoolMapJobReportsItsResultsInInputOrder() {
        Cli.Result r = Cli.run(RUN, "run", "config/topologies/pool-map.conf", "--set", "pool-map.inputs=20");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString())
                .contains("pool-map: results [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, ...]", "pool-map: sum 2470",
                        "pool-map: computed by squares-1: 10", "pool-map: computed by squares-2: 10");
        assertThat(r.lines().get(r.lines().size() - 1)).matches(DONE.formatted("pool-map"));
        assertNoErrorsLogged(r);
    }

    @Test
    void aBadTopologyExitsTwoWithTheKeyPathBeforeAnyProcessStarts() {
        Cli.Result r = Cli.run(QUICK, "run", "config/topologies/pipeline.conf", "--set", "procactor.topology.pools.workers.size=0");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("procactor: configuration error: procactor.topology.pools.workers.size must be an integer "
                + "between 1 and 1024 (worker processes), was [0] (set at --set procactor.topology.pools.workers.size=0)\n");
    }

    @Test
    void aCycleInAFileIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cycle.conf"), """
                procactor.topology.processes {
                  a { actor = "io.procactor.samples.pipeline.Worker", after = [b] }
                  b { actor = "io.procactor.samples.pipeline.Worker", after = [a] }
                }
                """);

        Cli.Result r = Cli.run(QUICK, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("procactor: configuration error: procactor.topology has a cycle in its startup order: "
                + "a -> b -> a (set at " + file + ": 2); ").hasLineCount(1);
    }

    @Test
    void aTopologyThatFailsAtRunTimeExitsOne(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("crash.conf"), """
                procactor.topology {
                  processes.producer {
                    actor = "io.procactor.samples.pipeline.Producer"
                    args = ["ref:producer", "ref:producer", 0]   # count 0: the constructor throws in the child
                  }
                  done { when = duration, after = 60s }
                }
                """);

        Cli.Result r = Cli.run(RUN, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).as(r.toString()).contains("procactor: failed: ActorException: ")
                .contains("process [producer]").contains("count must be 1 or more, was [0]");
    }

    @Test
    void configPrintsTheEffectiveConfigurationWithOriginsAndMasksSecrets(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("secret.conf"), """
                procactor.topology.processes.p {
                  actor = "io.procactor.samples.pipeline.Worker"
                  environment { API_TOKEN = "s3cr3t-value", LANG = C }
                }
                procactor.mailbox.capacity = 5
                """);

        Cli.Result r = Cli.run(QUICK, "config", file.toString(), "--set", "procactor.dispatcher.throughput=7");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).doesNotContain("s3cr3t-value");
        assertThat(r.lines()).anyMatch(l -> l.matches("procactor\\.mailbox\\.capacity = 5 +# " + file + ": 5"))
                .anyMatch(l -> l.matches("procactor\\.dispatcher\\.throughput = 7 +# --set procactor\\.dispatcher\\.throughput=7"))
                .anyMatch(l -> l.matches("procactor\\.topology\\.processes\\.p\\.environment\\.API_TOKEN = \"\\*+\" .*"))
                .anyMatch(l -> l.matches("procactor\\.transport\\.kind = \"auto\" +# reference\\.conf: \\d+"))
                .noneMatch(l -> l.startsWith("procactor.home"));
    }

    @Test
    void configOfAnInvalidFilePrintsItAndExitsTwo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("typo.conf"), "procactor.mailbox.capacty = 5\n");

        Cli.Result r = Cli.run(QUICK, "config", file.toString(), "--no-origins");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.lines()).contains("procactor.mailbox.capacty = 5");
        assertThat(r.stderr()).isEqualTo("procactor: configuration error: procactor.mailbox.capacty is not a procactor setting "
                + "(set at " + file + ": 1); did you mean procactor.mailbox.capacity? Every setting is listed, with its meaning "
                + "and default, in reference.conf\n");
    }

    @Test
    void everyProblemOfTopologyAndSettingsIsReportedOnItsOwnLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.conf"), """
                procactor.topology.processes.a { actor = "io.procactor.samples.pipeline.Worker", after = [b] }
                procactor.mailbox.capacity = lots
                """);

        Cli.Result r = Cli.run(QUICK, "run", file.toString(), "--set", "procactor.mailbox.overflw=block");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines()).containsExactly(
                "procactor: configuration error: procactor.topology.processes.a.after[0] must name a process or pool of this "
                        + "topology, one of [a], was [b] (set at " + file + ": 1)",
                "procactor: configuration error: procactor.mailbox.overflw is not a procactor setting (set at --set "
                        + "procactor.mailbox.overflw=block); did you mean procactor.mailbox.overflow? Every setting is listed, "
                        + "with its meaning and default, in reference.conf",
                "procactor: configuration error: procactor.mailbox.capacity must be an integer of 1 or more, was [lots] "
                        + "(set at " + file + ": 2)");
    }

    @Test
    void aTopologyKeyGivenToACommandThatReadsNoTopologyIsAConfigurationError() {
        Cli.Result r = Cli.run(QUICK, "sample", "hello", "--set", "procactor.topology.pools.workers.size=3");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("procactor: configuration error: --set [procactor.topology.pools.workers.size=3]: "
                + "'procactor sample' reads no topology, so nothing would use this key; topology keys apply to "
                + "'procactor run FILE' and 'procactor config FILE'\n");
    }

    @Test
    void aBadSetOptionIsAConfigurationError() {
        Cli.Result r = Cli.run(QUICK, "config", "--set", "procactor.mailbox.capacity");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: configuration error: --set [procactor.mailbox.capacity] is not key=value; "
                + "e.g. --set procactor.topology.pools.workers.size=3\n");
    }

    @Test
    void ctrlCStopsEverythingSaysSoInOneLineAndExits130(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("until-ctrl-c.conf"), """
                procactor.topology {
                  processes {
                    a { actor = "io.procactor.bench.Doubler" }
                    b { actor = "io.procactor.bench.Doubler", after = [a] }
                  }
                  pools { p { actor = "io.procactor.bench.Doubler", size = 1 } }
                }
                """);
        Cli.Running cli = Cli.start("run", file.toString());
        // running until Ctrl-C: wait until both processes and the pool's worker are up
        org.awaitility.Awaitility.await("the topology's child JVMs").atMost(QUICK)
                .until(() -> ProcessHandle.of(cli.pid()).map(h -> h.children().filter(ProcessHandle::isAlive).count()).orElse(0L) == 3);
        new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor();
        Cli.Result r = cli.await(QUICK);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
        assertThat(r.linesContaining("interrupted")).as(r.toString())
                .containsExactly("procactor: interrupted; stopped 3 processes");
        assertThat(r.stdout() + r.stderr()).as(r.toString()).doesNotContain("failed", "System.exit", "no actor named");
    }

    @Test
    void ctrlCWhileASpareIsHandedOverAndReplacedStopsEverythingAndExits130(@TempDir Path dir) throws Exception {
        // once, the suite saw a node with spares not exit on Ctrl-C during a hand-over: signal while they happen
        Path file = Files.writeString(dir.resolve("spares-until-ctrl-c.conf"), """
                procactor.child { spares = 1, spares-start = system-start }
                procactor.topology {
                  processes {
                    a { actor = "io.procactor.bench.Doubler" }
                    b { actor = "io.procactor.bench.Doubler", after = [a] }
                    c { actor = "io.procactor.bench.Doubler" }
                  }
                  pools { p { actor = "io.procactor.bench.Doubler", size = 2 } }
                }
                """);
        Cli.Running cli = Cli.start("run", file.toString());
        // the spare and the first process: the others are being handed spares or launched, and spares replaced
        org.awaitility.Awaitility.await("the spare and a process").atMost(QUICK).pollInterval(Duration.ofMillis(10))
                .until(() -> ProcessHandle.of(cli.pid()).map(h -> h.children().filter(ProcessHandle::isAlive).count()).orElse(0L) >= 2);
        List<ProcessHandle> children = ProcessHandle.of(cli.pid()).orElseThrow().descendants().toList();
        new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor();
        Cli.Result r = cli.await(QUICK);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
        assertThat(r.stdout() + r.stderr()).as(r.toString()).doesNotContain("Exception", "System.exit");
        org.awaitility.Awaitility.await("every child JVM it had started gone").atMost(QUICK)
                .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
}
