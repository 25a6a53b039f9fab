package io.procactor.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.internal.cluster.NodeDescription;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.awaitility.Durations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A three-server ensemble losing one server (the one a member is connected to) declares no member
 * dead: the client moves to another server within its session, which lives on.
 */
class EnsembleTest {
    private TestingCluster ensemble;
    private final List<ZooKeeperCoordinator> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        opened.forEach(ZooKeeperCoordinator::close);
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @Test
    void losingOneServerOfThreeDeclaresNoMemberDead() throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            specs.add(new InstanceSpec(null, -1, -1, -1, true, i, ZooKeeperCoordinatorTest.TICK_MILLIS, -1));
        }
        ensemble = new TestingCluster(specs);
        ensemble.start();
        RecordingEvents aEvents = new RecordingEvents();
        RecordingEvents bEvents = new RecordingEvents();
        ZooKeeperCoordinator a = open("host-a", aEvents);
        ZooKeeperCoordinator b = open("host-b", bEvents);
        await().atMost(Timeouts.seconds(10)).until(() -> a.members().size() == 2 && b.members().size() == 2);

        InstanceSpec aServer = ensemble.findConnectionInstance(a.clientForTest().getZookeeperClient().getZooKeeper());
        assertThat(ensemble.killServer(aServer)).isTrue();
        await().atMost(Timeouts.seconds(10)).until(() -> !aEvents.of("suspended").isEmpty());
        await().atMost(Timeouts.seconds(10)).until(a::acceptingWork);

        // for two session timeouts nobody is declared lost, and nobody changes incarnation
        Duration settle = ZooKeeperCoordinatorTest.SESSION.multipliedBy(2);
        await().during(settle).atMost(settle.plus(Durations.FIVE_SECONDS)).until(() -> aEvents.of("lost").isEmpty()
                && bEvents.of("lost").isEmpty() && aEvents.of("sessionLost").isEmpty() && bEvents.of("sessionLost").isEmpty());
        assertThat(aEvents.of("resumed")).isNotEmpty();
        assertThat(a.members()).containsExactlyElementsOf(b.members()).hasSize(2);
    }

    private ZooKeeperCoordinator open(String host, RecordingEvents events) {
        ZooKeeperCoordinator c = ZooKeeperCoordinatorProvider.openCoordinator(
                ZooKeeperCoordinatorTest.settings(ensemble.getConnectString(), "/procactor", ZooKeeperCoordinatorTest.SECRET),
                new NodeDescription(host, "tcp://" + host + ":7000", 2, 0, Map.of()), events);
        opened.add(c);
        return c;
    }
}
