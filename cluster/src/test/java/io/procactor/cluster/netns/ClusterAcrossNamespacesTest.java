package io.procactor.cluster.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cluster.ClusterSecret;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three "hosts" in network namespaces ({@link NetnsLab}): A runs a node with the embedded ZooKeeper
 * on its namespace address, B and C join it over the bridge. Every node sees three members; C's
 * cable is pulled, so A and B see it lost about one session timeout later and C kills its child
 * (its session is lost); plugged back, C joins as a new incarnation. A node with another secret is
 * refused. The test's JVM (root namespace) only reads the nodes' stdout and runs {@code ip}.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class ClusterAcrossNamespacesTest {
    /** Short, so the test is quick; scaled with the other timeouts on a slow machine, where pings may lag. */
    private static final Duration SESSION = Timeouts.scaled(Duration.ofSeconds(3));
    private static final int ZK_PORT = 2181; // free: A's namespace has nothing else

    @BeforeAll
    static void needsNamespaces() {
        NetnsSupport.assumeAvailable();
    }

    @AfterAll
    static void leavesNoNamespace() {
        NetnsSupport.assertNoneLeftByThisJvm();
    }

    @Test
    void membersAcrossHostsSeeACablePullAsALostMemberAndANewIncarnationAfterIt() throws Exception {
        String secret = ClusterSecret.generate();
        try (NetnsLab lab = NetnsLab.create(Path.of("target", "netns-logs", "cluster"), "a", "b", "c", "d")) {
            String zk = lab.host("a").address() + ":" + ZK_PORT;
            Participant a = lab.start(lab.host("a"), "node-a", ClusterNodeMain.class, List.of(node("a", secret,
                    "mode = embedded, embedded { bind = \"" + lab.host("a").address() + "\", port = " + ZK_PORT + " }")));
            a.await("READY a@", Timeouts.seconds(60));
            String url = "mode = \"zookeeper://" + zk + "/procactor\"";
            Participant b = lab.start(lab.host("b"), "node-b", ClusterNodeMain.class, List.of(node("b", secret, url)));
            Participant c = lab.start(lab.host("c"), "node-c", ClusterNodeMain.class, List.of(node("c", secret, url), "child"));
            Participant d = lab.start(lab.host("d"), "node-d-wrong-secret", ClusterNodeMain.class,
                    List.of(node("d", ClusterSecret.generate(), url)));

            String refused = d.await("FAILED", Timeouts.seconds(60));
            assertThat(refused).contains("another secret");
            assertThat(d.awaitExit(Timeouts.seconds(10))).isEqualTo(2);

            String cOld = c.await("READY c@", Timeouts.seconds(60)).substring("READY ".length());
            c.await("CHILD-UP", Timeouts.seconds(60));
            for (Participant p : List.of(a, b, c)) {
                p.await("MEMBERS of a, b and c", l -> hosts(l).equals(List.of("a", "b", "c")), Timeouts.seconds(30));
            }

            long pulled = System.currentTimeMillis();
            lab.unplug(lab.host("c"));
            long lostByA = timeOf(a.await("LOST " + cOld, Timeouts.scaled(SESSION.multipliedBy(4))));
            long lostByB = timeOf(b.await("LOST " + cOld, Timeouts.scaled(SESSION.multipliedBy(4))));
            c.await("SUSPENDED", Timeouts.scaled(SESSION.multipliedBy(2)));
            long childKilled = timeOf(c.await("CHILD-EXIT KILLED", Timeouts.scaled(SESSION.multipliedBy(4))));
            System.out.printf("RESULT netns-member-lost-after-cable-pull %d ms (seen by a; by b %d ms; session-timeout %d ms)%n",
                    lostByA - pulled, lostByB - pulled, SESSION.toMillis());
            System.out.printf("RESULT netns-cut-off-child-killed-after-cable-pull %d ms%n", childKilled - pulled);
            assertThat(lostByA - pulled).isBetween(SESSION.toMillis() / 2, Timeouts.scaled(SESSION.plusSeconds(2)).toMillis());

            lab.plug(lab.host("c"));
            String rejoined = c.await("NEW-INCARNATION " + cOld, Timeouts.scaled(SESSION.multipliedBy(5)));
            String cNew = rejoined.split(" ")[2];
            assertThat(cNew).startsWith("c@").isNotEqualTo(cOld);
            for (Participant p : List.of(a, b)) {
                String last = p.await("MEMBERS a, b and the new c", l -> l.startsWith("MEMBERS ") && l.contains(cNew)
                        && hosts(l).equals(List.of("a", "b", "c")), Timeouts.seconds(15));
                assertThat(last).doesNotContain(cOld);
                // the old incarnation never came back after it was lost
                List<String> lines = p.lines();
                int lostAt = lines.indexOf(lines.stream().filter(l -> l.startsWith("LOST " + cOld)).findFirst().orElseThrow());
                assertThat(lines.subList(lostAt + 1, lines.size())).noneMatch(l -> l.startsWith("MEMBERS") && l.contains(cOld));
            }

            for (Participant p : List.of(c, b, a)) {
                p.send("quit");
                assertThat(p.awaitExit(Timeouts.seconds(30))).as(p.name() + " exit code").isZero();
            }
            lab.close();
            assertThat(lab.liveNamespaces()).isEmpty();
            assertThat(lab.liveParticipants()).isEmpty();
            NetnsSupport.assertNoSegmentsLeftBy(lab);
        }
    }

    /** The HOCON of one node: host name, secret, mode settings, a short session. */
    private static String node(String host, String secret, String mode) {
        // membership only, no processes cross hosts: plain TCP on the lab's private bridge
        return "procactor.cluster { host = " + host + ", secret = \"" + secret + "\", session-timeout = "
                + SESSION.toMillis() + "ms, insecure-plain-tcp = true, " + mode + " }";
    }

    /** The host names in a "MEMBERS h@i,h@i" line (empty for other lines). */
    private static List<String> hosts(String line) {
        if (!line.startsWith("MEMBERS ")) {
            return List.of();
        }
        return Arrays.stream(line.substring("MEMBERS ".length()).split(",")).map(m -> m.split("@")[0]).toList();
    }

    private static long timeOf(String line) {
        String[] parts = line.split(" ");
        return Long.parseLong(parts[parts.length - 1]);
    }
}
