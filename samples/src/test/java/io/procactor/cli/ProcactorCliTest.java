package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.samples.Samples;
import io.procactor.samples.sleepers.SleepersSampleTest;
import io.procactor.testkit.NoLeftoverProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeftoverProcesses.class)
class ProcactorCliTest {
    private static final Duration QUICK = Duration.ofSeconds(60);

    @Test
    void samplesListsEveryRegisteredSampleInOrder() {
        Cli.Result r = Cli.run(QUICK, "samples");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> names = r.lines().stream().map(l -> l.split("\\s+", 2)[0]).toList();
        assertThat(names).containsExactly("hello", "sleepers", "lifecycle", "naming", "ping-pong");
        assertThat(Samples.all()).extracting(s -> s.name()).isEqualTo(names);
        assertThat(r.lines()).allMatch(l -> l.split("\\s+", 2).length == 2, "every sample has a description");
    }

    @Test
    void anUnknownSampleIsAUsageError() {
        Cli.Result r = Cli.run(QUICK, "sample", "nope");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("procactor: unknown sample [nope]; run 'procactor samples' to list them\n");
    }

    @Test
    void verbosePrintsTheStackTraceOfAnError() {
        Cli.Result r = Cli.run(QUICK, "sample", "nope", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("procactor: unknown sample [nope]; run 'procactor samples' to list them\n")
                .contains("\tat io.procactor.cli.ProcactorCli");
    }

    @Test
    void aMissingArgumentIsAUsageErrorOnOneLine() {
        Cli.Result r = Cli.run(QUICK, "sample");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: Missing required parameter: 'NAME'; see 'procactor sample --help'\n");
    }

    @Test
    void runWithAMissingFileIsAUsageErrorNamingTheFile() {
        Cli.Result r = Cli.run(QUICK, "run", "config/topologies/no-such.conf");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: topology file [config/topologies/no-such.conf] does not exist\n");
    }

    @Test
    void runWithoutTheSampleKeyIsAUsageErrorNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("empty.conf"), "procactor.topology { }\n");

        Cli.Result r = Cli.run(QUICK, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: topology file [" + file + "] has no key [procactor.topology.sample]; "
                + "name the sample to run, e.g. procactor.topology.sample = sleepers\n");
    }

    @Test
    void anInvalidSettingInATopologyIsAUsageErrorNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.conf"),
                "procactor.topology.sample = hello\nprocactor.process.terminate-grace-period = -1s\n");

        Cli.Result r = Cli.run(QUICK, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("procactor: procactor.process.terminate-grace-period must be a positive duration")
                .hasLineCount(1);
    }

    @Test
    void runTheSleepersTopology() {
        Cli.Result r = Cli.run(Duration.ofSeconds(90), "run", "config/topologies/sleepers.conf");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        SleepersSampleTest.assertSleptInParallel(r);
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Cli.Result r = Cli.run(QUICK, "--version");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0)).matches("procactor \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void helpListsTheCommands() {
        Cli.Result r = Cli.run(QUICK, "--help");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("samples", "sample", "run", "--verbose");
    }
}
