package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.bench.Benchmarks;
import io.procactor.samples.Samples;
import io.procactor.samples.sleepers.SleepersSampleTest;
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

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ProcactorCliTest {
    private static final Duration QUICK = Timeouts.seconds(60);

    @Test
    void samplesListsEveryRegisteredSampleInOrder() {
        Cli.Result r = Cli.run(QUICK, "samples");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> names = r.lines().stream().map(l -> l.split("\\s+", 2)[0]).toList();
        assertThat(names).containsSubsequence("hello", "sleepers", "lifecycle", "naming", "ping-pong");
        assertThat(Samples.all()).extracting(s -> s.name()).isEqualTo(names);
        assertThat(r.lines()).allMatch(l -> l.split("\\s+", 2).length == 2, "every sample has a description");
    }

    @Test
    void anUnknownSampleIsAUsageError() {
        Cli.Result r = Cli.run(QUICK, "sample", "nope");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("procactor: usage error: unknown sample [nope]; run 'procactor samples' to list them\n");
    }

    @Test
    void aMisspelledSampleGetsADidYouMean() {
        Cli.Result r = Cli.run(QUICK, "sample", "helo");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: unknown sample [helo]; did you mean hello? "
                + "Run 'procactor samples' to list them\n");
    }

    @Test
    void aMisspelledCommandGetsADidYouMean() {
        Cli.Result r = Cli.run(QUICK, "smaple", "hello");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("procactor: usage error: unknown command [smaple]; did you mean sample? "
                + "See 'procactor --help'\n");
    }

    @Test
    void anUnknownCommandFarFromEveryOneIsNamed() {
        Cli.Result r = Cli.run(QUICK, "deploy");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: unknown command [deploy]; see 'procactor --help'\n");
    }

    @Test
    void aMisspelledOptionGetsADidYouMean() {
        Cli.Result r = Cli.run(QUICK, "config", "--no-origin");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: Unknown option: '--no-origin'; did you mean --no-origins? "
                + "See 'procactor config --help'\n");
    }

    @Test
    void verbosePrintsTheStackTraceOfAnError() {
        Cli.Result r = Cli.run(QUICK, "sample", "nope", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("procactor: usage error: unknown sample [nope]; run 'procactor samples' to list them\n")
                .contains("\tat io.procactor.cli.ProcactorCli");
    }

    @Test
    void aMissingArgumentIsAUsageErrorOnOneLine() {
        Cli.Result r = Cli.run(QUICK, "sample");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: Missing required parameter: 'NAME'; see 'procactor sample --help'\n");
    }

    @Test
    void runWithAMissingFileIsAUsageErrorNamingTheFile() {
        Cli.Result r = Cli.run(QUICK, "run", "config/topologies/no-such.conf");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: topology file [config/topologies/no-such.conf] does not exist\n");
    }

    @Test
    void runWithoutATopologyIsAUsageErrorNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain.conf"), "procactor.mailbox.capacity = 10\n");

        Cli.Result r = Cli.run(QUICK, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: topology file [" + file + "] has no procactor.topology; declare "
                + "processes and pools (see docs/topologies.md) or name a sample, e.g. procactor.topology.sample = sleepers\n");
    }

    @Test
    void anEmptyTopologyIsAConfigurationErrorNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("empty.conf"), "procactor.topology { }\n");

        Cli.Result r = Cli.run(QUICK, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("procactor: configuration error: procactor.topology declares no processes and no pools "
                + "(set at " + file + ": 1)").hasLineCount(1);
    }

    @Test
    void anInvalidSettingInATopologyIsAConfigurationErrorNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.conf"),
                "procactor.topology.sample = hello\nprocactor.process.terminate-grace-period = -1s\n");

        Cli.Result r = Cli.run(QUICK, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: configuration error: procactor.process.terminate-grace-period must be a "
                + "positive duration (e.g. 10s, 500ms), was [-1s] (set at " + file + ": 2)\n");
    }

    @Test
    void runTheSleepersTopology() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "run", "config/topologies/sleepers.conf");

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
        assertThat(r.stdout()).contains("run", "config", "ps", "samples", "sample", "bench", "--verbose", "--version", "Exit codes");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("run", "config", "ps", "clean", "samples", "sample", "bench")) {
            // in this JVM: --help starts nothing, and six JVM start-ups would only cost time
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = ProcactorCli.execute(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true), command, "--help");

            assertThat(code).as(command + ": " + err).isZero();
            assertThat(out.toString()).as(command).startsWith("Usage: procactor " + command).contains("--help", "--version");
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run(QUICK);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: missing command; see 'procactor --help'\n");
    }

    @Test
    void anUnknownBenchmarkIsAUsageError() {
        Cli.Result r = Cli.run(QUICK, "bench", "fastest");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: unknown benchmark [fastest]; use " + Benchmarks.NAMES + "\n");
        assertThat(r.stdout()).as("nothing ran").isEmpty();
    }

    @Test
    void cleanRemovesWhatDeadNodesLeftAndNothingOfLiveOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        java.nio.file.Path sockets = java.nio.file.Files.createDirectory(tmp.resolve("sockets"));
        java.nio.file.Path admin = java.nio.file.Files.createDirectory(tmp.resolve("admin"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        java.nio.file.Path dead = java.nio.file.Files.createDirectory(sockets.resolve("procactor-" + gone.pid() + "-1"));
        java.nio.file.Path deadAdmin = java.nio.file.Files.createFile(admin.resolve(gone.pid() + "-1.sock"));
        java.nio.file.Path live = java.nio.file.Files.createDirectory(
                sockets.resolve("procactor-" + ProcessHandle.current().pid() + "-1"));
        java.nio.file.Path shm = java.nio.file.Files.createDirectories(io.procactor.ProcactorConfig.sharedMemoryDirectory(),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        java.nio.file.Path deadShm = java.nio.file.Files.createDirectory(shm.resolve(gone.pid() + "-1"));
        java.nio.file.Files.createFile(deadShm.resolve("counter.long"));

        Cli.Result r = Cli.run(QUICK, "clean", "--set", "procactor.transport.socket-dir=" + sockets,
                "--set", "procactor.admin.dir=" + admin);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).contains("removed " + dead, "removed " + deadAdmin, "removed " + deadShm)
                .containsPattern("removed \\d+ left by nodes that are gone"); // other dead nodes' shared memory may go too
        assertThat(dead).doesNotExist();
        assertThat(deadShm).doesNotExist();
        assertThat(deadAdmin).doesNotExist();
        assertThat(live).exists();
    }
}
