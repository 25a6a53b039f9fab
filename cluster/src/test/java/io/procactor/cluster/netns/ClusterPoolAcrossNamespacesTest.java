package io.procactor.cluster.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cluster.ClusterSecret;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remote spawn across "hosts" in network namespaces ({@link NetnsLab}), TLS on between every two:
 * node n runs the embedded ZooKeeper and a pool, host agents run on a, b and c (each a
 * {@link ClusterNodeMain} with {@code procactor.cluster.role = agent}, in its own namespace).
 * <ol>
 * <li>a {@code Pool.map} over workers spread on the three agents completes, each host computing a part;</li>
 * <li>c is partitioned from everyone (drop rules, its link up): n sees it lost about one session
 *     timeout later; a process n had placed on c exits with {@code NODE_LOST}, its watcher gets
 *     {@code Terminated} with the {@code NodeLostException} cause, a pending ask to it fails with
 *     that cause; c's agent kills its children when its own session must have expired, within 2 s
 *     of the others seeing it lost (before, usually); the pool replaces c's worker and maps on a and b;</li>
 * <li>healed, c's agent joins as a new incarnation, and the old ref stays dead;</li>
 * <li>an agent with another cluster secret is refused by ZooKeeper, and a peer whose certificate is
 *     not from the cluster CA is refused by n's cluster endpoint in the TLS handshake.</li>
 * </ol>
 * The test's JVM (root namespace) only reads the participants' stdout and runs {@code ip} / {@code tc}.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class ClusterPoolAcrossNamespacesTest {
    private static final Duration SESSION = Timeouts.scaled(Duration.ofSeconds(3));
    private static final int ZK_PORT = 2181;
    private static final int CLUSTER_PORT = 7100;

    @BeforeAll
    static void needsNamespaces() {
        NetnsSupport.assumeAvailable();
    }

    @AfterAll
    static void leavesNoNamespace() {
        NetnsSupport.assertNoneLeftByThisJvm();
    }

    @Test
    void aPoolSpreadOverThreeHostsSurvivesThePartitionOfOneAndItsOldIncarnationStaysDead() throws Exception {
        String secret = ClusterSecret.generate();
        NetnsPki pki = NetnsPki.make(Path.of("target", "netns-pki", "pool-" + ProcessHandle.current().pid()));
        try (NetnsLab lab = NetnsLab.create(Path.of("target", "netns-logs", "pool"), "n", "a", "b", "c", "d")) {
            NetnsHost n = lab.host("n");
            String zk = "zookeeper://" + n.address() + ":" + ZK_PORT + "/procactor";
            Participant node = lab.start(n, "node-n", ClusterNodeMain.class, List.of(config(n, secret, pki,
                    "mode = embedded, embedded { bind = \"" + n.address() + "\", port = " + ZK_PORT + " }")));
            node.await("READY n@", Timeouts.seconds(60));
            List<Participant> agents = new ArrayList<>();
            for (String h : List.of("a", "b", "c")) {
                agents.add(lab.start(lab.host(h), "agent-" + h, ClusterNodeMain.class,
                        List.of(config(lab.host(h), secret, pki, "mode = \"" + zk + "\", role = agent"))));
            }
            Participant wrongSecret = lab.start(lab.host("d"), "agent-d-wrong-secret", ClusterNodeMain.class,
                    List.of(config(lab.host("d"), ClusterSecret.generate(), pki, "mode = \"" + zk + "\", role = agent")));
            Participant stranger = lab.start(lab.host("d"), "tls-stranger", TlsPingMain.class, List.of("ping", n.address(),
                    String.valueOf(CLUSTER_PORT), abs(pki.stranger().certificate()), abs(pki.stranger().privateKey()),
                    abs(pki.clusterCa()), Credentials.random().toHex(), "1"));
            String cOld = agents.get(2).await("READY c@", Timeouts.seconds(60)).substring("READY ".length());
            node.await("MEMBERS of n, a, b and c", l -> hosts(l).equals(List.of("a", "b", "c", "n")), Timeouts.seconds(60));

            // 4. refusals
            assertThat(wrongSecret.await("FAILED", Timeouts.seconds(60))).contains("another secret");
            assertThat(stranger.await("CONNECT-FAILED", Timeouts.seconds(60))).contains("HandshakeException");

            // 1. a map over three hosts
            node.send("pool 3");
            assertThat(node.await("POOL", Timeouts.seconds(90))).isEqualTo("POOL a,b,c");
            node.send("map 60");
            String mapped = node.await("MAPPED", l -> l.startsWith("MAPPED") || l.startsWith("MAP-FAILED"), Timeouts.seconds(60));
            assertThat(mapped).startsWith("MAPPED ").contains(lab.host("a").address() + "=", lab.host("b").address() + "=",
                    lab.host("c").address() + "=");
            node.send("probe c");
            assertThat(node.await("PROBE-UP", l -> l.startsWith("PROBE-UP") || l.startsWith("COMMAND-FAILED"), Timeouts.seconds(60)))
                    .startsWith("PROBE-UP " + lab.host("c").address());

            // 2. partition c from everyone
            long cut = System.currentTimeMillis();
            lab.partition(lab.host("c"));
            long lost = timeOf(node.await("LOST " + cOld, Timeouts.scaled(SESSION.multipliedBy(4))));
            String exit = node.await("PROBE-EXIT", Timeouts.seconds(10));
            String askFailed = node.await("ASK-FAILED", l -> l.startsWith("ASK-FAILED") || l.startsWith("ASK-ANSWERED"), Timeouts.seconds(10));
            String terminated = node.await("TERMINATED", l -> l.startsWith("TERMINATED") || l.startsWith("WATCHER-FAILED"), Timeouts.seconds(10));
            long childrenGone = awaitOnlyAgentLeft(lab.host("c"), agents.get(2), Timeouts.scaled(SESSION.multipliedBy(4)));
            System.out.printf("RESULT netns-pool-node-lost-after-partition %d ms (session-timeout %d ms; %s); probe exit %d ms, "
                    + "ask failed %d ms, Terminated %d ms after; c's children gone %d ms after the loss was seen%n",
                    lost - cut, SESSION.toMillis(), lab.partitionMethod(), timeOf(exit) - lost, timeOf(askFailed) - lost,
                    timeOf(terminated) - lost, childrenGone - lost);
            assertThat(lost - cut).isBetween(SESSION.toMillis() / 2, Timeouts.scaled(SESSION.plusSeconds(2)).toMillis());
            assertThat(exit).startsWith("PROBE-EXIT NODE_LOST NodeLostException");
            assertThat(askFailed).startsWith("ASK-FAILED ").contains("NodeLostException");
            assertThat(terminated).startsWith("TERMINATED NODE_LOST NodeLostException");
            assertThat(timeOf(exit) - lost).isLessThan(Timeouts.scaled(Duration.ofSeconds(1)).toMillis());
            // c's agent holds its session lost at the server's earliest expiry (its last answer from
            // ZooKeeper + the session timeout) and kills its children then: about when the others see it lost
            assertThat(childrenGone - lost).isLessThanOrEqualTo(Timeouts.scaled(Duration.ofSeconds(2)).toMillis());

            node.send("map 60"); // the pool replaced c's worker on a or b
            String recovered = node.await("MAPPED without c", l -> l.startsWith("MAP-FAILED")
                    || l.startsWith("MAPPED") && !l.equals(mapped), Timeouts.seconds(60));
            assertThat(recovered).startsWith("MAPPED ").doesNotContain(lab.host("c").address());
            node.send("workers");
            assertThat(node.await("WORKERS", Timeouts.seconds(10))).isIn("WORKERS a,a,b", "WORKERS a,b,b");

            // 3. heal: a new incarnation of c, the old ref stays dead
            lab.heal(lab.host("c"));
            String cNew = agents.get(2).await("NEW-INCARNATION " + cOld, Timeouts.scaled(SESSION.multipliedBy(5))).split(" ")[2];
            assertThat(cNew).startsWith("c@").isNotEqualTo(cOld);
            node.await("MEMBERS with the new c", l -> l.startsWith("MEMBERS ") && l.contains(cNew), Timeouts.seconds(30));
            node.send("old-ref");
            assertThat(node.await("OLD-REF", Timeouts.seconds(30))).startsWith("OLD-REF failed");

            for (Participant p : List.of(node, agents.get(0), agents.get(1), agents.get(2))) {
                p.send("quit");
            }
            for (Participant p : List.of(node, agents.get(0), agents.get(1), agents.get(2))) {
                assertThat(p.awaitExit(Timeouts.seconds(30))).as(p.name() + " exit code").isZero();
            }
            lab.close();
            assertThat(lab.liveNamespaces()).isEmpty();
            assertThat(lab.liveParticipants()).isEmpty();
            NetnsSupport.assertNoSegmentsLeftBy(lab);
        }
    }

    /** Waits until the agent's JVM is the only process left in {@code host}'s namespace; returns when. */
    private static long awaitOnlyAgentLeft(NetnsHost host, Participant agent, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> pids = Ip.ip("netns", "pids", host.namespace()).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (pids.equals(List.of(String.valueOf(agent.pid())))) {
                return System.currentTimeMillis();
            }
            try {
                Thread.sleep(20); // polling `ip netns pids`: the processes are in another namespace, nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("processes other than the agent still run in " + host + " after " + timeout.toMillis() + " ms: "
                + Ip.ip("netns", "pids", host.namespace()).strip().replace('\n', ' '));
    }

    /** One participant's HOCON: its cluster settings (cluster endpoint on its lab address) and mutual TLS with the cluster CA. */
    private static String config(NetnsHost host, String secret, NetnsPki pki, String mode) {
        return "procactor.cluster { host = " + host.name() + ", secret = \"" + secret + "\", session-timeout = " + SESSION.toMillis()
                + "ms, bind = \"" + host.address() + ":" + CLUSTER_PORT + "\", " + mode + " }\n"
                + "procactor.transport.tls { enabled = on, certificate = \"" + abs(pki.node().certificate()) + "\", private-key = \""
                + abs(pki.node().privateKey()) + "\", trust = \"" + abs(pki.clusterCa()) + "\" }";
    }

    /** The host names in a "MEMBERS h@i,h@i" line (empty for other lines), sorted. */
    private static List<String> hosts(String line) {
        if (!line.startsWith("MEMBERS ")) {
            return List.of();
        }
        return Arrays.stream(line.substring("MEMBERS ".length()).split(",")).map(m -> m.split("@")[0]).sorted().toList();
    }

    private static long timeOf(String line) {
        String[] parts = line.split(" ");
        return Long.parseLong(parts[parts.length - 1]);
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
