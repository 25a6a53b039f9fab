package io.procactor.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.procactor.ActorException;
import io.procactor.ClusterMember;
import io.procactor.internal.cluster.ClusterMode;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.NodeDescription;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ClientSessionLoss;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership against Curator's in-JVM testing server, with a 2 s session and a 100 ms tick:
 * registration and watches, a crashed member lost one session timeout later, a wrong secret
 * refused, a lost session coming back as a new incarnation.
 */
class ZooKeeperCoordinatorTest {
    static final Duration SESSION = Duration.ofSeconds(2);
    static final int TICK_MILLIS = 100; // the server grants 2 to 20 ticks: 2 s is its maximum
    static final String SECRET = "a-cluster-secret-for-tests";
    private static final AtomicInteger PATHS = new AtomicInteger();

    private TestingServer server;
    private final List<ZooKeeperCoordinator> opened = new ArrayList<>();
    private String path;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1), true);
        path = "/procactor-test-" + PATHS.incrementAndGet();
    }

    @AfterEach
    void stop() throws Exception {
        opened.forEach(ZooKeeperCoordinator::close);
        server.close();
    }

    static ClusterSettings settings(String connect, String path, String secret) {
        return new ClusterSettings(ClusterMode.ZOOKEEPER, connect, path, secret, SESSION, Timeouts.seconds(10), "",
                Map.of(), "127.0.0.1", 0);
    }

    private ZooKeeperCoordinator open(String host, RecordingEvents events) {
        return open(host, events, SECRET);
    }

    private ZooKeeperCoordinator open(String host, RecordingEvents events, String secret) {
        ZooKeeperCoordinator c = ZooKeeperCoordinatorProvider.openCoordinator(settings(server.getConnectString(), path, secret),
                new NodeDescription(host, "tcp://" + host + ":7000", 4, 1L << 30, Map.of("zone", "a")), events);
        opened.add(c);
        return c;
    }

    @Test
    void membersRegisterAndSeeEachOtherJoinAndLeave() {
        RecordingEvents aEvents = new RecordingEvents();
        RecordingEvents bEvents = new RecordingEvents();
        ZooKeeperCoordinator a = open("host-a", aEvents);
        ZooKeeperCoordinator b = open("host-b", bEvents);

        await().atMost(Timeouts.seconds(5)).until(() -> aEvents.members("joined").contains(b.self()));
        assertThat(b.members()).containsExactly(a.self(), b.self());
        assertThat(bEvents.members("joined")).containsExactly(a.self()); // present when b joined; never itself
        ClusterMember seen = a.members().get(1);
        assertThat(seen.host()).isEqualTo("host-b");
        assertThat(seen.address()).isEqualTo("tcp://host-b:7000");
        assertThat(seen.cores()).isEqualTo(4);
        assertThat(seen.memoryBytes()).isEqualTo(1L << 30);
        assertThat(seen.labels()).containsEntry("zone", "a");
        assertThat(a.acceptingWork()).isTrue();

        b.close();
        await().atMost(Timeouts.seconds(5)).until(() -> aEvents.members("lost").contains(b.self()));
        assertThat(a.members()).containsExactly(a.self());
    }

    @Test
    void aCrashedMemberIsLostOnceAboutOneSessionTimeoutLater() throws Exception {
        RecordingEvents aEvents = new RecordingEvents();
        ZooKeeperCoordinator a = open("host-a", aEvents);
        ZooKeeperCoordinator b = open("host-b", new RecordingEvents());
        ClusterMember gone = b.self();
        await().atMost(Timeouts.seconds(5)).until(() -> a.members().size() == 2);

        long crashed = System.nanoTime();
        b.markCrashedForTest();
        ClientSessionLoss.expireWithoutClosing(b.clientForTest().getZookeeperClient().getZooKeeper());
        b.close();
        await().atMost(Timeouts.scaled(SESSION.plusSeconds(5))).until(() -> !aEvents.members("lost").isEmpty());
        long millis = (aEvents.of("lost").get(0).nanos() - crashed) / 1_000_000;
        System.out.printf("RESULT member-lost-after-crash session-timeout=%d ms detected-after=%d ms (bound %d ms)%n",
                SESSION.toMillis(), millis, SESSION.toMillis() + 250);

        assertThat(aEvents.members("lost")).containsExactly(gone);
        // not a clean close (that is milliseconds): the server expired the session
        assertThat(millis).isGreaterThan(SESSION.toMillis() / 2);
        assertThat(Duration.ofMillis(millis)).isLessThanOrEqualTo(Timeouts.scaled(SESSION.plusMillis(250)));
        assertThat(a.members()).containsExactly(a.self());
    }

    @Test
    void aNodeWithAnotherSecretIsRefused() {
        open("host-a", new RecordingEvents());
        assertThatThrownBy(() -> open("intruder", new RecordingEvents(), "not-the-cluster-secret"))
                .isInstanceOf(ActorException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("procactor.cluster.secret");
    }

    @Test
    void aLostSessionComesBackAsANewIncarnation() throws Exception {
        RecordingEvents aEvents = new RecordingEvents();
        RecordingEvents bEvents = new RecordingEvents();
        ZooKeeperCoordinator a = open("host-a", aEvents);
        ZooKeeperCoordinator b = open("host-b", bEvents);
        ClusterMember old = b.self();
        await().atMost(Timeouts.seconds(5)).until(() -> a.members().size() == 2);

        ClientSessionLoss.expireWithoutClosing(b.clientForTest().getZookeeperClient().getZooKeeper());
        await().atMost(Timeouts.scaled(SESSION.plusSeconds(10))).until(() -> !bEvents.of("rejoined").isEmpty());
        ClusterMember now = b.self();
        assertThat(bEvents.members("sessionLost")).containsExactly(old);
        assertThat(bEvents.members("rejoined")).containsExactly(now);
        assertThat(now.host()).isEqualTo(old.host());
        assertThat(now.incarnation()).isNotEqualTo(old.incarnation());
        assertThat(b.acceptingWork()).isTrue();

        // The old handle's LOST may come after the new handle's RECONNECTED (two ZooKeeper event threads):
        // it is about the old session, not the incarnation that just registered.
        b.connectionStateForTest(org.apache.curator.framework.state.ConnectionState.LOST);
        assertThat(bEvents.members("sessionLost")).as("a stale LOST loses nothing").containsExactly(old);
        assertThat(b.acceptingWork()).isTrue();

        // the others: the old incarnation lost (once its session expires on the server), the new one joined
        await().atMost(Timeouts.scaled(SESSION.plusSeconds(5)))
                .until(() -> aEvents.members("lost").contains(old) && aEvents.members("joined").contains(now));
        assertThat(a.members()).containsExactly(a.self(), now);
        assertThat(b.members()).containsExactly(a.self(), now);
        assertThat(bEvents.of("lost")).as("a node never reports its own old incarnation").isEmpty();
    }

    @Test
    void aNodeCutOffStopsTakingWorkAndResumesWithinTheSession() throws Exception {
        RecordingEvents events = new RecordingEvents();
        ZooKeeperCoordinator a = open("host-a", events);
        ClusterMember self = a.self();

        server.stop();
        await().atMost(Timeouts.seconds(5)).until(() -> !events.of("suspended").isEmpty());
        assertThat(a.acceptingWork()).isFalse();
        server.restart();
        await().atMost(Timeouts.seconds(10)).until(a::acceptingWork);
        // back within the session (or, on a slow machine, as a new incarnation after it): never the old id re-registered
        if (events.of("sessionLost").isEmpty()) {
            assertThat(events.of("resumed")).hasSize(1);
            assertThat(a.self()).isEqualTo(self);
        } else {
            assertThat(a.self().incarnation()).isNotEqualTo(self.incarnation());
        }
    }
}
