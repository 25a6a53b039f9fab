package io.procactor.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorSystem;
import io.procactor.Cluster;
import io.procactor.internal.cluster.ClusterMode;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.Coordinator;
import io.procactor.internal.cluster.Coordinators;
import io.procactor.internal.cluster.NodeDescription;
import io.procactor.testkit.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Mode embedded: ZooKeeper's server inside the node, found through ServiceLoader, starts, takes
 * this node's registration and stops without leaving threads or its (private) data directory.
 */
class EmbeddedModeTest {
    @Test
    void startsAndStopsCleanlyLeavingNoThreadsNorFiles() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ClusterSettings settings = new ClusterSettings(ClusterMode.EMBEDDED, "", ClusterSettings.DEFAULT_PATH,
                ZooKeeperCoordinatorTest.SECRET, Duration.ofSeconds(2), Timeouts.seconds(10), "", Map.of(), "127.0.0.1", 0);
        Coordinator c = Coordinators.open(settings, () -> new NodeDescription("host-a", "unix:/tmp/x.sock", 2, 0, Map.of()),
                new RecordingEvents());
        Path dataDir;
        try {
            assertThat(c).isInstanceOf(ZooKeeperCoordinator.class);
            assertThat(c.mode()).isEqualTo(ClusterMode.EMBEDDED);
            assertThat(c.members()).containsExactly(c.self());
            assertThat(c.acceptingWork()).isTrue();
            dataDir = ((ZooKeeperCoordinator) c).embeddedDataDirForTest();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        } finally {
            c.close();
        }
        assertThat(dataDir).doesNotExist();
        await().atMost(Timeouts.seconds(10)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    @Test
    void aClusterEndpointOnANetworkAddressWithoutTlsIsRefusedSayingHowToFixIt() {
        // checked before anything binds: no socket is opened on that address
        assertThatThrownBy(() -> ActorSystem.create("plain", ConfigFactory.parseString("""
                procactor.cluster { mode = embedded, embedded.port = 0, secret = "%s", bind = "192.0.2.7:0" }
                """.formatted(ZooKeeperCoordinatorTest.SECRET)).withFallback(ConfigFactory.load())))
                .isInstanceOf(io.procactor.ConfigurationException.class)
                .hasMessageContaining("192.0.2.7").hasMessageContaining("plain TCP")
                .hasMessageContaining("procactor.transport.tls").hasMessageContaining("procactor.cluster.insecure-plain-tcp = true");
    }

    @Test
    void anActorSystemInModeEmbeddedIsItsOwnClusterOfOne() {
        try (ActorSystem system = ActorSystem.create("embedded", ConfigFactory.parseString("""
                procactor.cluster { mode = embedded, embedded.port = 0, secret = "%s", host = node-1, labels { zone = a }, bind = "127.0.0.1:0" }
                """.formatted(ZooKeeperCoordinatorTest.SECRET)).withFallback(ConfigFactory.load()))) {
            Cluster cluster = system.cluster();
            assertThat(cluster.mode()).isEqualTo("embedded");
            assertThat(cluster.members()).containsExactly(cluster.self());
            assertThat(cluster.self().host()).isEqualTo("node-1");
            assertThat(cluster.self().labels()).isEqualTo(Map.of("zone", "a"));
            assertThat(cluster.self().cores()).isPositive();
            assertThat(cluster.acceptingWork()).isTrue();
        }
    }

    @Test
    void otherNodesOnTheHostJoinTheEmbeddedServerAndSeeEachOtherLeave() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String secret = "secret = \"" + ZooKeeperCoordinatorTest.SECRET + "\"";
        try (ActorSystem first = ActorSystem.create("first", ConfigFactory.parseString(
                "procactor.cluster { mode = embedded, embedded.port = " + port + ", host = one, bind = \"127.0.0.1:0\", " + secret + " }")
                .withFallback(ConfigFactory.load()))) {
            try (ActorSystem second = ActorSystem.create("second", ConfigFactory.parseString(
                    "procactor.cluster { mode = \"zookeeper://127.0.0.1:" + port + "/procactor\", host = two, bind = \"127.0.0.1:0\", " + secret + " }")
                    .withFallback(ConfigFactory.load()))) {
                assertThat(second.cluster().mode()).isEqualTo("zookeeper");
                assertThat(second.cluster().members()).extracting(m -> m.host()).containsExactly("one", "two");
                await().atMost(Timeouts.seconds(5)).until(() -> first.cluster().members().size() == 2);
                assertThat(first.cluster().members()).isEqualTo(second.cluster().members());
            }
            await().atMost(Timeouts.seconds(5)).until(() -> first.cluster().members().size() == 1);
            assertThat(first.cluster().members()).containsExactly(first.cluster().self());
        }
    }

    /** Threads alive now that were not before (the JVM's own come and go: reference handler and the like are old). */
    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && !t.getName().startsWith("awaitility"))
                .map(t -> t.getName() + java.util.Arrays.toString(t.getStackTrace()))
                .collect(Collectors.toSet());
    }
}
