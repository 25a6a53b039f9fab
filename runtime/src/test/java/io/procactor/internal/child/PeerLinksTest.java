package io.procactor.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.LoneCore;
import io.procactor.internal.core.ManualScheduler;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.ProcessDirectory;
import io.procactor.internal.core.RecordingConnection;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeExecutors;
import io.procactor.internal.core.TrackingExecutor;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child's directory of its peers, in one JVM and one thread: what it asks the node, when it
 * keeps or drops an association, and what a send to a peer that exited resolves to. (Connecting
 * to a peer's address needs a transport; the multi-JVM tests cover that.)
 */
class PeerLinksTest {
    private static final ExitStatus CRASHED = new ExitStatus(3, 0, ExitStatus.Reason.CRASHED, "boom", List.of());

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingConnection node = new RecordingConnection();
    private final List<Object> toNode = node.sent();
    private final ProcessCore core = new ProcessCore("test", "child-1", 1, Settings.from(ConfigFactory.defaultReference()),
            () -> Registrations.builder().build(), RuntimeExecutors.of(TrackingExecutor.direct(), scheduler, scheduler.ticker()),
            LoneCore.QUIET_HOST, c -> new PeerLinks(c, null, null, null));
    private final PeerLinks peers = (PeerLinks) core.directory();

    @BeforeEach
    void connectToTheNode() {
        peers.node().attach(node);
    }

    private List<Object> resolves() {
        return toNode.stream().filter(m -> m instanceof Protocol.Resolve).toList();
    }

    @Test
    void theFirstSendToAPeerAsksTheNodeWhereItListensOnceAndLaterSendsShareTheAssociation() {
        ProcessDirectory.Route first = peers.route("child-2");
        ProcessDirectory.Route second = peers.route("child-2");

        assertThat(first).isInstanceOf(ProcessDirectory.Linked.class).isEqualTo(second);
        assertThat(resolves()).containsExactly(new Protocol.Resolve("child-2"));
        assertThat(peers.route(Protocol.NODE)).isEqualTo(new ProcessDirectory.Linked(peers.node()));
    }

    @Test
    void aPeerThatExitedForGoodIsGoneWithItsStatusUntilItsNameComesUpAgain() {
        peers.route("child-2");
        peers.processDown("child-2", CRASHED, false);

        assertThat(peers.route("child-2")).isEqualTo(new ProcessDirectory.Gone(CRASHED));
        assertThat(peers.exitStatus("child-2")).contains(CRASHED);

        peers.peerUp("child-2", "unix:/tmp/not-used.sock"); // a new process took the name (the next send connects to it)
        assertThat(peers.exitStatus("child-2")).isEmpty();
    }

    @Test
    void anAssociationWaitingForTheAddressOfARestartingPeerKeepsWaiting() {
        ProcessDirectory.Route waiting = peers.route("child-2");

        peers.processDown("child-2", CRASHED, true);

        assertThat(peers.route("child-2")).isEqualTo(waiting);
        assertThat(peers.exitStatus("child-2")).isEmpty();
        assertThat(resolves()).hasSize(1);
    }

    @Test
    void messagesWaitingForAPeerThatExitsFailTheirSendersAsDeadLettersOfThatCause() {
        RefImpl peer = core.ref("child-2", "worker");
        peer.tell("queued"); // waits in the association for the address

        peers.processDown("child-2", CRASHED, false);

        assertThat(core.deadLetterCounts()).containsEntry("not sent", 1L);
        peer.tell("after");
        assertThat(core.deadLetterCounts()).containsEntry("process exited", 1L);
    }

    @Test
    void aRestartFailsTheAsksSentToTheIncarnationThatExitedNotThoseWaitingForTheNext() {
        RefImpl worker = core.ref("child-2", "worker");
        CompletableFuture<Object> waiting = worker.ask("ping", Duration.ofSeconds(5)); // the address is not known yet

        peers.processDown("child-2", CRASHED, true);

        assertThat(waiting).as("its message waits for the next incarnation's address").isNotDone();

        RecordingConnection first = new RecordingConnection();
        peers.peerUp("child-2", "via-node", first); // the next incarnation is up (through the node here)
        assertThat(first.sent()).hasSize(1);
        CompletableFuture<Object> sent = worker.ask("ping", Duration.ofSeconds(5));

        peers.processDown("child-2", CRASHED, true); // that incarnation exits too: both asks went to it

        assertThat(waiting).isCompletedExceptionally();
        assertThat(sent).isCompletedExceptionally();
        assertThatThrownBy(sent::join).cause().isInstanceOf(ActorTerminatedException.class)
                .hasMessageContaining("its process [child-2] exited");
    }

    @Test
    void aClosedAssociationTakesNoConnectionSoNothingIsSentToAProcessThatWentDown() {
        ProcessDirectory.Linked link = (ProcessDirectory.Linked) peers.route("child-2");
        peers.peerUp("child-2", "via-node", new RecordingConnection());
        peers.processDown("child-2", CRASHED, true);
        RecordingConnection late = new RecordingConnection();

        assertThat(link.association().attach(late)).as("a connect that completes after the process went down").isFalse();
        link.association().send(new Protocol.Envelope(core.ref("child-2", "worker"), null, "taken before the restart"));

        assertThat(late.sent()).isEmpty();
        assertThat(core.deadLetterCounts()).containsEntry("not sent", 1L);
    }

    @Test
    void aSendToAnUnknownPeerIsNeverUnknownHereTheNodeAnswersTheResolve() {
        assertThat(peers.route("nobody")).isInstanceOf(ProcessDirectory.Linked.class);
        assertThat(peers.exitStatus("nobody")).isEmpty();
    }

}
