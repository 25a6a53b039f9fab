package io.procactor.cluster.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, in milliseconds (no JVM started): the root-namespace guards, nothing of a lab
 * in the root namespace, cleanup and the sweep of a dead run's namespaces. Those that make
 * namespaces need root and skip saying so elsewhere.
 */
class NetnsLabTest {
    private static final Path LOGS = Path.of("target", "netns-logs", "lab");

    @AfterAll
    static void leavesNoNamespace() {
        NetnsSupport.assertNoneLeftByThisJvm();
    }

    @Test
    void aParticipantRefusesTheRootNamespaceAndAMissingMarker() {
        assertThat(ParticipantIo.refusal("net:[4026531840]", "net:[4026531840]")).get().asString()
                .contains("root network namespace");
        assertThat(ParticipantIo.refusal(null, "net:[4026531840]")).get().asString().contains("NetnsLab.start");
        assertThat(ParticipantIo.refusal("net:[4026531840]", "net:[4026532999]")).isEmpty();
    }

    @Test
    void aLabLivesOutsideTheRootNamespaceAndIsGoneAfterClose() {
        needsNamespaces();
        List<String> rootLinksBefore = rootLinks();
        NetnsLab lab = NetnsLab.create(LOGS, "a", "b");
        try {
            assertThat(lab.liveNamespaces()).containsExactlyInAnyOrder(lab.prefix() + "br", lab.prefix() + "a", lab.prefix() + "b");
            assertThat(rootLinks()).isEqualTo(rootLinksBefore);
            assertThat(Ip.ip("-n", lab.host("a").namespace(), "-o", "addr", "show", NetnsLab.HOST_INTERFACE))
                    .contains(lab.host("a").address() + "/24");
            lab.unplug(lab.host("b"));
            assertThat(Ip.ip("-n", lab.prefix() + "br", "-o", "link", "show", lab.host("b").bridgePort())).contains("state DOWN");
            lab.plug(lab.host("b"));
        } finally {
            lab.close();
        }
        assertThat(lab.liveNamespaces()).isEmpty();
        assertThat(NetnsLab.listNamespaces()).noneMatch(ns -> ns.startsWith(lab.prefix()));
    }

    @Test
    void aPartitionDropsThePacketsOfChosenPeersOnlyAndHealRestoresThem() {
        needsNamespaces();
        try (NetnsLab lab = NetnsLab.create(LOGS, "a", "b", "c")) {
            NetnsHost a = lab.host("a");
            NetnsHost b = lab.host("b");
            NetnsHost c = lab.host("c");
            Duration probe = Duration.ofSeconds(1);
            assertThat(lab.reachable(a, c, probe)).as("before any partition").isTrue();

            lab.partition(c, a); // c from a only
            System.out.println("NETNS partitions by " + lab.partitionMethod());
            assertThat(lab.reachable(a, c, probe)).as("a to c, partitioned").isFalse();
            assertThat(lab.reachable(c, a, probe)).as("c to a, partitioned").isFalse();
            assertThat(lab.reachable(c, b, probe)).as("c to b, not partitioned").isTrue();
            assertThat(Ip.ip("-n", c.namespace(), "-o", "link", "show", NetnsLab.HOST_INTERFACE)).contains("state UP");

            lab.heal(c);
            assertThat(lab.reachable(a, c, probe)).as("a to c, healed").isTrue();
            lab.partition(c); // from everyone
            assertThat(lab.reachable(b, c, probe)).as("b to c, c partitioned from all").isFalse();
            lab.heal(c);
            assertThat(lab.reachable(c, b, probe)).as("c to b, healed").isTrue();
        }
    }

    @Test
    void refusesToStartAParticipantInANamespaceItDidNotMake() {
        needsNamespaces();
        try (NetnsLab lab = NetnsLab.create(LOGS, "a")) {
            NetnsHost foreign = new NetnsHost("a", "default", "10.77.0.10", "to-a");
            assertThatThrownBy(() -> lab.start(foreign, "stray", ClusterNodeMain.class, List.of("")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("never run in the root namespace");
            assertThat(lab.liveParticipants()).isEmpty();
        }
    }

    @Test
    void theSweepDeletesTheNamespacesOfADeadRunOnly() throws Exception {
        needsNamespaces();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String stale = NetnsLab.PREFIX + gone.pid() + "-1-x";
        String live = NetnsLab.PREFIX + ProcessHandle.current().pid() + "-sweep-live";
        Ip.ip("netns", "add", stale);
        Ip.ip("netns", "add", live);
        try {
            NetnsLab.sweepStale();
            assertThat(NetnsLab.listNamespaces()).doesNotContain(stale).contains(live);
        } finally {
            Ip.tryRun(List.of("ip", "netns", "delete", stale));
            Ip.tryRun(List.of("ip", "netns", "delete", live));
        }
    }

    private static void needsNamespaces() {
        NetnsSupport.assumeAvailable();
    }

    /** The root namespace's interfaces (names only). */
    private static List<String> rootLinks() {
        return Ip.ip("-o", "link", "show").lines().map(l -> l.split(":\\s+")[1].split("@")[0]).sorted().toList();
    }
}
