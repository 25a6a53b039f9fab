package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import io.procactor.MailboxOverflowException;
import io.procactor.RemoteActorException;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.Registrations;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ask table and the ask path of {@link ProcessCore} in one thread: time moves only when the
 * test advances the {@link ManualScheduler}, futures complete on a {@link TrackingExecutor}.
 * Each ask ends exactly once, by reply, failure, timeout or the death of its target's process.
 */
class AskTableTest {
    private static final Settings SETTINGS = Settings.from(ConfigFactory.defaultReference());
    private static final ExitStatus CRASHED = new ExitStatus(3, 0, ExitStatus.Reason.CRASHED, "boom", List.of());

    private final ManualScheduler scheduler = new ManualScheduler();
    private final TrackingExecutor executor = TrackingExecutor.direct();
    /** The other processes as this test says: route() answers from here, Unknown otherwise. */
    private final Map<String, ProcessDirectory.Route> routes = new ConcurrentHashMap<>();
    private final ProcessCore core = new ProcessCore("test", "node", 1, SETTINGS, () -> Registrations.builder().build(),
            RuntimeExecutors.of(executor, scheduler, scheduler.ticker()), LoneCore.QUIET_HOST, c -> new ProcessDirectory() {
                @Override
                public Route route(String process) {
                    return routes.getOrDefault(process, Unknown.INSTANCE);
                }

                @Override
                public Optional<ExitStatus> exitStatus(String process) {
                    return routes.get(process) instanceof Gone g ? Optional.of(g.status()) : Optional.empty();
                }
            });
    private final AskTable table = core.asks();
    private final RefImpl worker = core.ref("worker", "worker");

    @AfterEach
    void nothingThrewOnTheExecutorOrTheScheduler() {
        executor.assertNoFailures();
        assertThat(scheduler.failures()).isEmpty();
    }

    private long ask(RefImpl target, RuntimeFuture<Object> future, Duration timeout) {
        return table.register(target, "ping", timeout, future);
    }

    /** Once the tick planned for the asks' deadlines has run, nothing holds them and nothing is planned. */
    private void assertNoTimerLeft() {
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(table.timersArmed()).isZero();
        assertThat(scheduler.pending()).isZero();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return catchThrowableOfType(f::join, CompletionException.class).getCause();
    }

    @Test
    void aReplyCompletesTheAskOnceCancelsItsTimerAndALateReplyIsDropped() {
        RuntimeFuture<Object> f = new RuntimeFuture<>(executor);
        long id = ask(worker, f, Duration.ofSeconds(5));
        assertThat(scheduler.pending()).isEqualTo(1);

        table.reply(id, "pong");
        table.reply(id, "again");
        scheduler.advance(Duration.ofSeconds(10));

        assertThat(f).isCompletedWithValue("pong");
        assertThat(table.size()).isZero();
        assertThat(table.timersArmed()).isZero();
        assertThat(scheduler.pending()).isZero(); // nothing pending: the timeouts' tick is not planned
    }

    @Test
    void anAskTimesOutAtItsTimeoutNotBeforeAndAReplyAfterwardsIsDropped() {
        RuntimeFuture<Object> f = new RuntimeFuture<>(executor);
        long id = ask(worker, f, Duration.ofSeconds(5));

        scheduler.advance(Duration.ofMillis(4999));
        assertThat(f).isNotDone();
        scheduler.advance(Duration.ofMillis(1));
        table.reply(id, "too late");

        assertThat(f).isCompletedExceptionally();
        assertThat(failure(f)).isInstanceOf(AskTimeoutException.class)
                .hasMessageContaining("procactor://test/worker/worker").hasMessageContaining("java.lang.String");
        assertThat(table.size()).isZero();
    }

    @Test
    void theDeathOfTheTargetsProcessFailsItsAsksAtOnceAndNoOthers() {
        RuntimeFuture<Object> toWorker = new RuntimeFuture<>(executor);
        RuntimeFuture<Object> toOther = new RuntimeFuture<>(executor);
        ask(worker, toWorker, Duration.ofSeconds(5));
        long other = ask(core.ref("other", "other"), toOther, Duration.ofSeconds(5));

        core.processDown("worker", CRASHED);

        assertThat(failure(toWorker)).isInstanceOf(ActorTerminatedException.class)
                .hasMessageContaining("its process [worker] exited");
        assertThat(((ActorTerminatedException) failure(toWorker)).exitStatus()).contains(CRASHED);
        assertThat(toOther).isNotDone();
        table.reply(other, "fine");
        assertThat(toOther).isCompletedWithValue("fine");
    }

    @Test
    void aRestartFailsTheAsksSentToTheIncarnationThatExitedNotThoseSentToTheNext() {
        Association first = core.newLink("worker");
        Association next = core.newLink("worker");
        routes.put("worker", new ProcessDirectory.Linked(first));
        CompletableFuture<Object> sentToFirst = worker.ask("ping", Duration.ofSeconds(5));
        routes.put("worker", new ProcessDirectory.Linked(next)); // the restart swapped the link; this asker resolved it just after
        CompletableFuture<Object> sentToNext = worker.ask("ping", Duration.ofSeconds(5));

        core.incarnationDown("worker", CRASHED, first);

        assertThat(failure(sentToFirst)).isInstanceOf(ActorTerminatedException.class)
                .hasMessageContaining("its process [worker] exited");
        assertThat(sentToNext).as("its message waits for the next incarnation, which will answer it").isNotDone();
        assertThat(table.size()).isEqualTo(1);

        core.incarnationDown("worker", CRASHED, null); // a child's link still waiting for the next address: nothing was lost
        assertThat(sentToNext).isNotDone();
        core.processDown("worker", CRASHED); // for good: every ask to it fails
        assertThat(failure(sentToNext)).isInstanceOf(ActorTerminatedException.class);
    }

    @Test
    void failureRepliesBecomeTheMatchingExceptions() {
        RuntimeFuture<Object> failed = new RuntimeFuture<>(executor);
        RuntimeFuture<Object> full = new RuntimeFuture<>(executor);
        RuntimeFuture<Object> gone = new RuntimeFuture<>(executor);
        table.reply(ask(worker, failed, Duration.ofSeconds(5)),
                new Protocol.Failure("java.lang.IllegalStateException", "bad", "", worker.path()));
        table.reply(ask(worker, full, Duration.ofSeconds(5)), new Protocol.MailboxFull(worker.path(), 8));
        table.reply(ask(worker, gone, Duration.ofSeconds(5)), new Protocol.Undeliverable(worker.path(), "no such actor"));

        assertThat(failure(failed)).isInstanceOf(RemoteActorException.class).hasMessageContaining("bad");
        assertThat(failure(full)).isInstanceOf(MailboxOverflowException.class).hasMessageContaining("8 messages");
        assertThat(failure(gone)).isInstanceOf(ActorTerminatedException.class)
                .hasMessage("Ask to [procactor://test/worker/worker] failed (message type [java.lang.String]): no such actor");
        assertNoTimerLeft();
    }

    @Test
    void futuresCompleteOnTheExecutorNeverOnTheRepliersThread() {
        TrackingExecutor queued = TrackingExecutor.queued();
        AskTable own = new AskTable(queued, scheduler, scheduler.ticker(), p -> "Its process is alive.");
        RuntimeFuture<Object> f = new RuntimeFuture<>(queued);
        long id = own.register(worker, "ping", Duration.ofSeconds(1), f);

        own.reply(id, "pong");
        assertThat(f).isNotDone();
        queued.runAll();
        assertThat(f).isCompletedWithValue("pong");
    }

    @Test
    void anAskToAProcessThatExitedFailsAtOnceWithItsExitStatus() {
        routes.put("worker", new ProcessDirectory.Gone(CRASHED));

        CompletableFuture<Object> f = worker.ask("ping", Duration.ofSeconds(5));

        assertThat(failure(f)).isInstanceOf(ActorTerminatedException.class).hasMessageContaining("exited");
        assertThat(table.size()).isZero();
        assertNoTimerLeft();
    }

    @Test
    void aMessageToTheAsksReplyAddressCompletesIt() {
        routes.put("worker", new ProcessDirectory.Linked(core.newLink("worker"))); // not connected: the ask waits in it

        CompletableFuture<Object> f = worker.ask("ping", Duration.ofSeconds(5));
        assertThat(f).isNotDone();
        core.deliverLocal(new AskRef(core, "node", 1), worker, "pong"); // as the reply arrives from the worker

        assertThat(f).isCompletedWithValue("pong");
        assertNoTimerLeft();
    }

    @Test
    void closingFailsTheAsksInFlightAndEveryLaterOneAtOnce() {
        RuntimeFuture<Object> before = new RuntimeFuture<>(executor);
        ask(worker, before, Duration.ofSeconds(5));

        table.failAll("the system is closing");
        RuntimeFuture<Object> after = new RuntimeFuture<>(executor);
        ask(worker, after, Duration.ofSeconds(5));

        assertThat(failure(before)).isInstanceOf(ActorTerminatedException.class).hasMessageContaining("the system is closing");
        assertThat(failure(after)).isInstanceOf(ActorTerminatedException.class).hasMessageContaining("the system is closing");
        assertThat(table.size()).isZero();
    }

    @Test
    void anAskFailedAtCloseEndsEvenWhenTheStoppingExecutorDropsItsCompletion() {
        TrackingExecutor queued = TrackingExecutor.queued(); // never run: as a dispatcher's queue that shutdownNow() drops
        AskTable own = new AskTable(queued, scheduler, scheduler.ticker(), p -> "Its process is alive.");
        RuntimeFuture<Object> f = new RuntimeFuture<>(queued);
        own.register(worker, "ping", Duration.ofSeconds(5), f);

        own.failAll("the system is closing");
        assertThat(f).as("completed through the executor, not on the closing thread").isNotDone();
        own.completeLeftovers(); // as ProcessCore.shutdown does once the executor stopped

        assertThat(failure(f)).isInstanceOf(ActorTerminatedException.class).hasMessageContaining("the system is closing");
    }

    @Test
    void aReplyAfterTheExecutorStoppedStillEndsItsAsk() {
        Executor stopped = task -> {
            throw new RejectedExecutionException("shut down");
        };
        AskTable own = new AskTable(stopped, scheduler, scheduler.ticker(), p -> "Its process is alive.");
        RuntimeFuture<Object> f = new RuntimeFuture<>(executor);
        long id = own.register(worker, "ping", Duration.ofSeconds(5), f);

        own.reply(id, "pong");

        assertThat(f).isCompletedWithValue("pong");
    }

    @Test
    void anAnsweredAskThatWaitsInTheTimeoutHeapDoesNotKeepItsReply() {
        ask(worker, new RuntimeFuture<>(executor), Duration.ofSeconds(1));
        long id = ask(worker, new RuntimeFuture<>(executor), Duration.ofSeconds(30)); // nobody holds its future
        scheduler.advance(Duration.ofSeconds(1)); // the tick ends the first and arms the second, till its deadline
        WeakReference<Object> reply = replyWithAnObjectOfItsOwn(id);

        assertThat(table.timersArmed()).as("still in the heap until the next tick").isEqualTo(1);
        await().atMost(Timeouts.seconds(30)).until(() -> {
            System.gc();
            return reply.get() == null;
        });
    }

    private WeakReference<Object> replyWithAnObjectOfItsOwn(long id) {
        Object value = new byte[1 << 20];
        table.reply(id, value);
        return new WeakReference<>(value);
    }

    @Test
    void anAskToAProcessNobodyKnowsFailsAsUndeliverable() {
        CompletableFuture<Object> f = core.ref("nobody", "nobody").ask("ping", Duration.ofSeconds(5));

        assertThat(failure(f)).isInstanceOf(ActorTerminatedException.class)
                .hasMessageContaining("no process named [nobody] in system [test]");
        assertThat(core.deadLetterCounts()).containsEntry("no such process", 1L);
    }

}
