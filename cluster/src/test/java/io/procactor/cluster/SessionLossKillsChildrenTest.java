package io.procactor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ClusterMember;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node cut off from ZooKeeper for longer than its session kills its own children (the others
 * hold them dead from that moment) and, once back, joins as a new incarnation: through the public
 * API, with a real child JVM.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class SessionLossKillsChildrenTest {
    /** Replies with what it gets. */
    public static final class Echo extends Actor {
        @Override
        protected void onReceive(Object message) {
            reply(message);
        }
    }

    @Test
    void aLostSessionKillsTheChildrenAndComesBackAsANewIncarnation() throws Exception {
        Duration session = Duration.ofSeconds(2);
        try (TestingServer server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1), true);
             ActorSystem system = ActorSystem.create("cut-off", ConfigFactory.parseString("""
                     procactor.cluster { mode = zookeeper, url = "zookeeper://%s/cut-off", secret = "%s", session-timeout = 2s, bind = "127.0.0.1:0" }
                     """.formatted(server.getConnectString(), ClusterSecret.generate())).withFallback(ConfigFactory.load()))) {
            ActorProcess child = system.spawnProcess(Props.create(Echo.class), "child");
            assertThat(child.ref().ask("hi", Timeouts.seconds(30)).get(30, TimeUnit.SECONDS)).isEqualTo("hi");
            ClusterMember before = system.cluster().self();
            assertThat(system.cluster().members()).containsExactly(before);

            server.stop();
            await().atMost(Timeouts.seconds(5)).until(() -> !system.cluster().acceptingWork());
            assertThat(child.join(Timeouts.scaled(session.plusSeconds(10)))).isTrue();
            assertThat(child.exitStatus().orElseThrow().reason()).isEqualTo(ExitStatus.Reason.KILLED);

            server.restart();
            await().atMost(Timeouts.seconds(15)).until(() -> system.cluster().acceptingWork());
            ClusterMember after = system.cluster().self();
            assertThat(after.incarnation()).isNotEqualTo(before.incarnation());
            await().atMost(Timeouts.seconds(10)).until(() -> system.cluster().members().equals(java.util.List.of(after)));
        }
    }
}
