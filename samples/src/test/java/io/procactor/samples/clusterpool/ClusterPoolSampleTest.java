package io.procactor.samples.clusterpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster-pool sample as the README runs it, on 127.0.0.1: the node from its topology file
 * (ZooKeeper embedded), two agents from {@code procactor agent}, each its own CLI JVM. Once maps
 * run on both agents, agent two is killed (kill -9: its session expires, its children halt); the
 * node sees it lost and the pool's next map runs on agent one alone.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ClusterPoolSampleTest {
    private static final String SESSION = "3s";

    @Test
    void aMapOverTwoAgentsRecoversOnTheOtherWhenOneIsKilled() throws Exception {
        int zkPort = freePort();
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(24)); // hex: safe unquoted in --set
        String cluster = "zookeeper://127.0.0.1:" + zkPort + "/procactor";
        Cli.Running node = Cli.start("run", "config/topologies/cluster-pool.conf", "--set", "procactor.cluster.embedded.port=" + zkPort,
                "--set", "procactor.cluster.secret=" + secret, "--set", "procactor.cluster.session-timeout=" + SESSION);
        Cli.Running one = null;
        Cli.Running two = null;
        try {
            awaitOutput(node, "waiting for 2 agents", Timeouts.seconds(60));
            assertThat(node.stdoutSoFar()).contains("bin/procactor agent --cluster zookeeper://127.0.0.1:" + zkPort + "/procactor");
            one = agent(cluster, "one", secret);
            two = agent(cluster, "two", secret);
            awaitOutput(node, "map \\d+: 20 squares, by host: one \\d+, two \\d+", Timeouts.seconds(120), one, two);
            assertThat(node.stdoutSoFar()).contains("agent one joined", "agent two joined", "pool of 4 workers: one 2, two 2");

            ProcessHandle.of(two.pid()).ifPresent(ProcessHandle::destroyForcibly); // a host's death, not a goodbye
            two.await(Timeouts.seconds(30));

            Cli.Result r = node.await(Timeouts.seconds(120));
            System.out.println(r.stdout());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).as(r.toString()).containsPattern("agent two@\\S+ lost: the pool replaces its workers")
                    .containsPattern("the pool recovered: map \\d+ ran without two");
            String last = r.lines().stream().filter(l -> l.startsWith("map ")).reduce((a, b) -> b).orElseThrow();
            assertThat(last).as(r.toString()).matches("map \\d+: 20 squares, by host: one 20");
        } finally {
            for (Cli.Running agent : new Cli.Running[] {one, two}) {
                if (agent != null) {
                    agent.terminate();
                    agent.await(Timeouts.seconds(30));
                }
            }
            node.terminate();
        }
    }

    /** Waits for a line of the node's stdout matching {@code regex}; fails with all it printed if the node ends or time runs out. */
    private static void awaitOutput(Cli.Running node, String regex, java.time.Duration timeout, Cli.Running... agents) {
        try {
            await().atMost(timeout).until(() -> node.stdoutSoFar().lines().anyMatch(l -> l.matches(".*" + regex + ".*"))
                    || !alive(node));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no line like [" + regex + "] from the node within " + timeout + ":\n" + outputs(node, agents), e);
        }
        if (!alive(node)) {
            throw new AssertionError("the node ended before printing a line like [" + regex + "]:\n" + outputs(node, agents));
        }
    }

    /** Everything the node and the agents printed (they are stopped). */
    private static String outputs(Cli.Running node, Cli.Running... agents) {
        StringBuilder b = new StringBuilder();
        for (Cli.Running agent : agents) {
            agent.terminate();
            b.append("=== agent\n").append(agent.await(Timeouts.seconds(30))).append('\n');
        }
        node.terminate();
        return b.append("=== node\n").append(node.await(Timeouts.seconds(30))).toString();
    }

    private static boolean alive(Cli.Running p) {
        return ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Cli.Running agent(String cluster, String host, String secret) {
        return Cli.start("agent", "--cluster", cluster, "--host", host, "--bind", "127.0.0.1:0",
                "--set", "procactor.cluster.secret=" + secret, "--set", "procactor.cluster.session-timeout=" + SESSION);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
