package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.ActorSystem;
import io.procactor.ClusterMember;
import io.procactor.ExitStatus;
import io.procactor.NodeLostException;
import io.procactor.Placement;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.internal.core.Failures;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Credentials;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of remote spawn that need no second host, in milliseconds: placements, the NODE_LOST
 * status and its cause across the wire's text form, the node credentials, a remote process's
 * output and exit, and the error of a placement in mode local.
 */
class RemoteSpawnPartsTest {
    /** Never started. */
    public static final class Nothing extends io.procactor.Actor {
        @Override
        protected void onReceive(Object message) {
        }
    }

    @Test
    void placementsFitTheirAgentsAndRefuseBadNames() {
        Map<String, String> zoneA = Map.of("zone", "a");
        assertThat(Placement.local().fits("h", zoneA)).isFalse();
        assertThat(Placement.spread().fits("h", zoneA)).isTrue();
        assertThat(Placement.host("web-2").fits("web-2", Map.of())).isTrue();
        assertThat(Placement.host("web-2").fits("web-3", Map.of())).isFalse();
        assertThat(Placement.label("zone", "a").fits("h", zoneA)).isTrue();
        assertThat(Placement.label("zone", "b").fits("h", zoneA)).isFalse();
        assertThat(Placement.label("zone", "a")).isEqualTo(Placement.label("zone", "a")).hasToString("label(zone=a)");
        assertThat(ProcessOptions.defaults().placement()).isEqualTo(Placement.local());
        assertThat(PoolOptions.size(2).placement(Placement.spread()).workerOptions().placement()).isEqualTo(Placement.spread());
        assertThatThrownBy(() -> Placement.host("web 2")).hasMessageContaining("placement host").hasMessageContaining("[web 2]");
        assertThatThrownBy(() -> Placement.label("zone", null)).hasMessageContaining("label value");
    }

    @Test
    void aLostHostsStatusCarriesItsCauseThroughTheWireAndIntoFailedAsks() {
        ExitStatus lost = ExitStatus.nodeLost("web-2", "3f2a-77");
        assertThat(lost.reason()).isEqualTo(ExitStatus.Reason.NODE_LOST);
        // what a watcher in another process gets: reason and detail only
        ExitStatus received = Protocol.ProcessDown.of("p", lost, false).status();
        assertThat(received.nodeLost()).get().satisfies(e -> {
            assertThat(e.host()).isEqualTo("web-2");
            assertThat(e.incarnation()).isEqualTo("3f2a-77");
        });
        assertThat(Failures.processExited("/p/p", "p", "String", received).getCause())
                .isInstanceOf(NodeLostException.class).hasMessageContaining("web-2@3f2a-77");
        assertThat(new ExitStatus(-1, 9, ExitStatus.Reason.KILLED, "node x@y is lost", java.util.List.of()).nodeLost()).isEmpty();
    }

    @Test
    void nodeCredentialsComeFromTheSecretAndDifferWithIt() {
        Credentials a = ClusterEndpoint.nodeCredentials("0123456789abcdef-one");
        assertThat(ClusterEndpoint.nodeCredentials("0123456789abcdef-one")).isEqualTo(a);
        assertThat(ClusterEndpoint.nodeCredentials("0123456789abcdef-two")).isNotEqualTo(a);
        assertThat(a.toHex()).doesNotContain("0123456789abcdef");
    }

    @Test
    void aRemoteProcessReadsItsOutputToTheEndAndExitsWithTheAgentsValue() throws Exception {
        ClusterMember agent = new ClusterMember("h", "i", "tcp:10.0.0.5:7000", 2, 0, Map.of(), ClusterMember.AGENT);
        RemoteProcess p = new RemoteProcess(1, agent, null, 4242, Runnable::run);
        p.output(false, "hello ".getBytes(StandardCharsets.UTF_8));
        p.output(false, "world\n".getBytes(StandardCharsets.UTF_8));
        p.output(true, "oops\n".getBytes(StandardCharsets.UTF_8));
        assertThat(p.isAlive()).isTrue();
        assertThatThrownBy(p::exitValue).isInstanceOf(IllegalThreadStateException.class);
        p.exited(137);
        InputStream out = p.getInputStream();
        assertThat(new String(out.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world\n");
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
        assertThat(p.onExit().isDone()).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);
        assertThat(p.pid()).isEqualTo(4242);
        assertThat(RemoteLaunches.hostOf(p)).isEqualTo("h@i");

        RemoteProcess gone = new RemoteProcess(2, agent, null, 4243, Runnable::run);
        gone.lost(ExitStatus.nodeLost("h", "i"));
        assertThat(gone.isAlive()).isFalse();
        assertThat(gone.lostStatus().reason()).isEqualTo(ExitStatus.Reason.NODE_LOST);
    }

    @Test
    void aPlacementOnAnAgentInModeLocalNamesTheSetting() {
        try (ActorSystem system = ActorSystem.create("local-placement")) {
            assertThatThrownBy(() -> system.process(Props.create(Nothing.class), "p",
                    ProcessOptions.defaults().placement(Placement.spread())))
                    .hasMessageContaining("placement spread").hasMessageContaining("procactor.cluster.mode = local")
                    .hasMessageContaining("bin/procactor agent");
        }
    }
}
