package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code procactor ps} against a real node: a {@code procactor run} JVM whose topology runs until
 * stopped, with its own admin directory so that other nodes on the machine do not matter.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PsCommandTest {
    private static final Duration QUICK = Timeouts.seconds(60);

    @TempDir
    Path dir;

    private String adminDir() {
        return "procactor.admin.dir=" + dir.resolve("nodes");
    }

    /** The status document of the node with {@code pid}, read as {@code ps} reads it, if it answers. */
    private Optional<Config> statusOf(long pid) throws IOException {
        for (PsCommand.Node n : PsCommand.query(dir.resolve("nodes"))) {
            if (n.pid() == pid && n.json() != null) {
                return Optional.of(ConfigFactory.parseString(n.json()));
            }
        }
        return Optional.empty();
    }

    @Test
    void psListsARunningNodeWithItsChildProcesses() throws IOException {
        Path topology = Files.writeString(dir.resolve("long.conf"), """
                procactor.topology {
                  name = long-runner
                  processes {
                    alpha { actor = "io.procactor.samples.pipeline.Worker" }
                    beta { actor = "io.procactor.samples.pipeline.Collector", args = ["ref:topology"] }
                  }
                  pools.crew { actor = "io.procactor.samples.pipeline.Worker", size = 2 }
                  done { when = duration, after = 10m }
                }
                """);
        Cli.Running node = Cli.start("run", topology.toString(), "--set", adminDir());
        Cli.Result end;
        try {
            await("every child of the node running, as ps sees it").atMost(Timeouts.seconds(150))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> statusOf(node.pid())
                            .map(s -> s.getConfigList("processes").size() == 4
                                    && s.getConfigList("processes").stream().allMatch(p -> p.getString("state").equals("running")))
                            .orElse(false));
            List<? extends Config> children = statusOf(node.pid()).orElseThrow().getConfigList("processes");

            Cli.Result ps = Cli.run(QUICK, "ps", "--set", adminDir());

            assertThat(ps.exitCode()).as(ps.toString()).isZero();
            assertThat(ps.lines()).as(ps.toString())
                    .anyMatch(l -> l.matches("node " + node.pid() + "  system long-runner  started \\d{4}-\\d\\d-\\d\\d "
                            + "\\d\\d:\\d\\d:\\d\\d  up .*"))
                    .anyMatch(l -> l.startsWith("  config ") && l.contains(topology.toString()))
                    .anyMatch(l -> l.matches(" +NAME +PID +UPTIME +RESTARTS +STATE +HEAP +ACTORS \\(MAILBOX\\)"));
            assertThat(children).extracting(c -> c.getString("name")).containsExactly("alpha", "beta", "crew-1", "crew-2");
            for (Config c : children) {
                String name = c.getString("name");
                assertThat(ps.lines()).as(ps.toString()).anyMatch(l -> l.matches(" +" + name + " +" + c.getLong("pid")
                        + " +\\d.* +0 +running +\\d+/\\d+ MiB +" + name + "\\(\\d+\\)"));
            }

            Cli.Result json = Cli.run(QUICK, "ps", "--json", "--set", adminDir());
            assertThat(json.exitCode()).as(json.toString()).isZero();
            Config first = ConfigFactory.parseString("nodes = " + json.stdout()).getConfigList("nodes").get(0);
            assertThat(first.getLong("pid")).isEqualTo(node.pid());
            assertThat(first.getString("system")).isEqualTo("long-runner");
            assertThat(first.getStringList("config-files")).contains(topology.toString());
            assertThat(first.getString("started")).isNotEmpty();
        } finally {
            node.terminate(); // SIGTERM, like Ctrl-C: the node closes its system and its children exit
            end = node.await(QUICK);
        }
        assertThat(end.stderr()).as(end.toString()).doesNotContain(" ERROR ");
        try (Stream<Path> left = Files.list(dir.resolve("nodes"))) {
            assertThat(left).as("the node deleted its admin socket when it closed").isEmpty();
        }
    }

    @Test
    void psRemovesTheSocketsOfDeadNodesAndSaysWhenNoneRuns() throws IOException {
        Path nodes = Files.createDirectory(dir.resolve("nodes"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path stale = Files.createFile(nodes.resolve("999999999-1.sock")); // no such pid: its node is gone

        Cli.Result r = Cli.run(QUICK, "ps", "--set", adminDir());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("no procactor nodes running (admin sockets in " + nodes + ")\n");
        assertThat(stale).doesNotExist();
    }
}
