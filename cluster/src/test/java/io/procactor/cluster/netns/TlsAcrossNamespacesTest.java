package io.procactor.cluster.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * procactor's transport with mutual TLS between two "hosts" in network namespaces ({@link NetnsLab}):
 * a node of the cluster CA pings across the bridge and gets every message back; a peer whose
 * certificate is not from the cluster CA is refused in the handshake. Prints the round trip.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class TlsAcrossNamespacesTest {
    private static final int PORT = 7000; // free: the server's namespace has nothing else
    private static final int PINGS = 500;

    @BeforeAll
    static void needsNamespaces() {
        NetnsSupport.assumeAvailable();
    }

    @AfterAll
    static void leavesNoNamespace() {
        NetnsSupport.assertNoneLeftByThisJvm();
    }

    @Test
    void aClusterNodePingsOverMutualTlsAcrossHostsAndAStrangerIsRefused() throws Exception {
        NetnsPki pki = NetnsPki.make(Path.of("target", "netns-pki", String.valueOf(ProcessHandle.current().pid())));
        String token = Credentials.random().toHex();
        try (NetnsLab lab = NetnsLab.create(Path.of("target", "netns-logs", "tls"), "a", "b")) {
            String address = lab.host("a").address();
            Participant server = lab.start(lab.host("a"), "tls-server", TlsPingMain.class,
                    args("serve", address, pki.node(), pki.clusterCa(), token));
            server.await("LISTENING", Timeouts.seconds(60));

            Participant member = lab.start(lab.host("b"), "tls-member", TlsPingMain.class,
                    with(args("ping", address, pki.node(), pki.clusterCa(), token), String.valueOf(PINGS), "plain-too"));
            Participant stranger = lab.start(lab.host("b"), "tls-stranger", TlsPingMain.class,
                    with(args("ping", address, pki.stranger(), pki.clusterCa(), token), "1"));

            String refused = stranger.await("CONNECT-FAILED", Timeouts.seconds(60));
            assertThat(refused).contains("HandshakeException");
            String pings = member.await("PINGS", Timeouts.seconds(60));
            String[] f = pings.split(" ");
            String[] t = member.await("PLAIN-PINGS", Timeouts.seconds(30)).split(" ");
            System.out.printf("RESULT netns-tls-ping-round-trip median %s us p99 %s us; plain TCP median %s us p99 %s us "
                    + "(%s sequential pings each, procactor transport, two namespaces over a veth bridge)%n",
                    f[2], f[3], t[2], t[3], f[1]);
            assertThat(Integer.parseInt(f[1])).isEqualTo(PINGS);

            await().atMost(Timeouts.seconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                server.send("refused");
                return server.lines().contains("REFUSED-COUNT 1");
            });
            for (Participant p : List.of(member, stranger)) {
                assertThat(p.awaitExit(Timeouts.seconds(30))).as(p.name() + " exit code").isZero();
            }
            server.send("quit");
            assertThat(server.awaitExit(Timeouts.seconds(30))).isZero();
            lab.close();
            assertThat(lab.liveNamespaces()).isEmpty();
        }
    }

    private static List<String> args(String role, String address, NetnsPki.Pair own, Path trust, String token) {
        return List.of(role, address, String.valueOf(PORT), own.certificate().toAbsolutePath().toString(),
                own.privateKey().toAbsolutePath().toString(), trust.toAbsolutePath().toString(), token);
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
