package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The one inbound router, in one thread: what it delivers, what it leaves to the control
 * protocol, and the dead-letter reasons it records (enum keys; what varies is only detail).
 */
class InboundRouterTest {
    private static final ExitStatus CRASHED = new ExitStatus(3, 0, ExitStatus.Reason.CRASHED, "boom", List.of());

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Map<String, ProcessDirectory.Route> routes = new ConcurrentHashMap<>();
    private final ProcessCore core = LoneCore.create("node", Settings.from(ConfigFactory.defaultReference()),
            RuntimeExecutors.of(TrackingExecutor.direct(), scheduler, scheduler.ticker()), routes);
    private final InboundRouter router = new InboundRouter(core);

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return catchThrowableOfType(f::join, CompletionException.class).getCause();
    }

    @Test
    void anEnvelopeForAnAskOfThisProcessCompletesIt() {
        routes.put("worker", new ProcessDirectory.Linked(core.newLink("worker")));
        CompletableFuture<Object> f = core.ref("worker", "worker").ask("ping", Duration.ofSeconds(5));

        boolean handled = router.route(new Protocol.Envelope(new AskRef(core, "node", 1), core.ref("worker", "worker"), "pong"), null);

        assertThat(handled).isTrue();
        assertThat(f).isCompletedWithValue("pong");
    }

    @Test
    void anEnvelopeForAProcessThatExitedIsADeadLetterUnderOneReasonWhateverTheExitStatus() {
        routes.put("a", new ProcessDirectory.Gone(CRASHED));
        routes.put("b", new ProcessDirectory.Gone(new ExitStatus(137, 9, ExitStatus.Reason.KILLED, "killed", List.of())));

        router.route(new Protocol.Envelope(core.ref("a", "a"), null, "x"), null);
        router.route(new Protocol.Envelope(core.ref("b", "b"), null, "y"), null);
        router.route(new Protocol.Envelope(core.ref("nobody", "nobody"), null, "z"), null);

        assertThat(core.deadLetterCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                DeadLetterReason.PROCESS_EXITED.key(), 2L, DeadLetterReason.NO_SUCH_PROCESS.key(), 1L));
    }

    @Test
    void theAskerOfARelayedMessageToAProcessThatExitedHearsWhyAtOnce() {
        routes.put("worker", new ProcessDirectory.Linked(core.newLink("worker")));
        CompletableFuture<Object> f = core.ref("worker", "worker").ask("ping", Duration.ofSeconds(5));
        routes.put("other", new ProcessDirectory.Gone(CRASHED));

        // another child's ask, relayed by this process: the reply address is ask 1 of this process
        router.route(new Protocol.Envelope(core.ref("other", "other"), new AskRef(core, "node", 1), "ping"), null);

        assertThat(failure(f)).isInstanceOf(ActorTerminatedException.class).hasMessageContaining("its process exited: ");
    }

    @Test
    void controlMessagesAreLeftToTheCaller() {
        assertThat(router.route(new Protocol.Resolve("worker"), null)).isFalse();
        assertThat(router.route(new Protocol.Exiting(0, "EXITED", ""), null)).isFalse();
        assertThat(core.deadLetterCounts()).isEmpty();
    }

    @Test
    void aWatchMessageForAnotherProcessIsRelayedOnItsRouteAndOneForAProcessThatExitedIsDropped() {
        RecordingConnection connection = new RecordingConnection();
        Association toWorker = core.newLink("worker");
        toWorker.attach(connection);
        routes.put("worker", new ProcessDirectory.Linked(toWorker));
        routes.put("gone", new ProcessDirectory.Gone(CRASHED));
        Protocol.Watch relayed = new Protocol.Watch(core.ref("worker", "w"), core.ref("other", "o"));

        assertThat(router.route(relayed, null)).isTrue();
        assertThat(router.route(new Protocol.Watch(core.ref("gone", "g"), core.ref("other", "o")), null)).isTrue();

        assertThat(connection.sent()).containsExactly(relayed);
        assertThat(core.deadLetterCounts()).isEmpty();
    }
}
