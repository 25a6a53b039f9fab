package io.procactor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import io.procactor.MailboxOverflowException;
import io.procactor.MessageSerializationException;
import io.procactor.PoolOptions;
import io.procactor.Routing;
import io.procactor.internal.core.ManualScheduler;
import io.procactor.internal.core.TrackingExecutor;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's dispatcher without processes: workers are {@link PoolWorker}s with no JVM, batches
 * are recorded, time moves by hand, outcomes run on the test thread. Runs in milliseconds.
 */
class PoolDispatcherTest {
    private static final ExitStatus KILLED = new ExitStatus(137, 9, ExitStatus.Reason.KILLED, "", List.of());

    private final Object lock = new Object();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final TrackingExecutor executor = TrackingExecutor.direct();
    /** Batches sent, by worker name, in order. */
    private final Map<String, List<Protocol.Batch>> sent = new ConcurrentHashMap<>();
    /** Outcomes by unit id: the per-item results, or the error. */
    private final Map<Long, Object> outcomes = new ConcurrentHashMap<>();
    /** Workers the dispatcher asked to stop, in order. */
    private final List<String> stopped = new ArrayList<>();
    private PoolWorker[] slots;
    private PoolDispatcher dispatcher;
    private int progressCalls;

    private void pool(PoolOptions options) {
        slots = new PoolWorker[options.size()];
        dispatcher = new PoolDispatcher(lock, "p", options, slots, executor, scheduler, new PoolDispatcher.WorkerPort() {
            @Override
            public void send(PoolWorker w, Protocol.Batch batch) {
                if (batch.items().contains("unencodable")) {
                    throw new MessageSerializationException("class [Unencodable] is not registered for serialization", null);
                }
                sent.computeIfAbsent(w.name, k -> new ArrayList<>()).add(batch);
            }

            @Override
            public void stop(PoolWorker w) {
                stopped.add(w.name);
            }
        }, () -> progressCalls++);
    }

    private PoolWorker worker(int slot, String name) {
        PoolWorker w = new PoolWorker(slot, name, "procactor://test/" + name + "/" + name, null);
        w.startedUp.complete(null);
        slots[slot] = w;
        return w;
    }

    private WorkUnit submit(Object... items) {
        synchronized (lock) {
            long id = dispatcher.nextId();
            WorkUnit u = new WorkUnit(id, new ArrayList<>(List.of(items)),
                    (results, error) -> outcomes.put(id, error != null ? error : results), -1, true);
            dispatcher.dispatch(u);
            dispatcher.pump();
            return u;
        }
    }

    private void result(PoolWorker w, long id, Object... results) {
        WorkUnit u;
        synchronized (lock) {
            u = dispatcher.onResult(new Protocol.BatchResult(id, new ArrayList<>(List.of(results)), 1_000, 0));
            dispatcher.pump();
        }
        if (u != null) {
            dispatcher.finish(u, new ArrayList<>(List.of(results)), null);
        }
    }

    private void exited(PoolWorker w) {
        synchronized (lock) {
            w.exited = true;
            dispatcher.takeBack(w, KILLED, true);
            dispatcher.pump();
        }
    }

    private List<Protocol.Batch> sentTo(PoolWorker w) {
        return sent.getOrDefault(w.name, List.of());
    }

    @AfterEach
    void noStrayFailures() {
        executor.assertNoFailures();
        assertThat(scheduler.failures()).isEmpty();
    }

    @Test
    void workPullingSendsNothingUntilAWorkerIsReadyThenOneUnitPerWorkerBeforeTheFirstResult() {
        pool(PoolOptions.size(2));
        PoolWorker a = worker(0, "a");
        PoolWorker b = worker(1, "b");
        WorkUnit u1 = submit(1);
        WorkUnit u2 = submit(2);
        WorkUnit u3 = submit(3);
        assertThat(sent).as("no worker is up yet").isEmpty();

        dispatcher.ready(a);
        assertThat(sentTo(a)).extracting(Protocol.Batch::id).containsExactly(u1.id);
        dispatcher.ready(b);
        assertThat(sentTo(b)).extracting(Protocol.Batch::id).containsExactly(u2.id);

        result(a, u1.id, 2);
        assertThat(outcomes.get(u1.id)).isEqualTo(List.of(2));
        assertThat(sentTo(a)).extracting(Protocol.Batch::id).containsExactly(u1.id, u3.id);
        assertThat(dispatcher.completedTasks()).isEqualTo(1);
    }

    @Test
    void aUnitPushedToAStartingWorkerWaitsAndGoesBackToTheQueueWithoutAnAttemptWhenThatWorkerDies() {
        pool(PoolOptions.size(2).routing(Routing.ROUND_ROBIN)); // retries 0: a sent unit would fail
        PoolWorker a = worker(0, "a");
        PoolWorker b = worker(1, "b");
        dispatcher.ready(b);
        WorkUnit u = submit(7);      // round robin: slot 0, still starting
        assertThat(sentTo(a)).isEmpty();
        assertThat(a.waiting).hasSize(1);

        exited(a);
        assertThat(sentTo(b)).as("taken by the worker that is up").extracting(Protocol.Batch::id).containsExactly(u.id);
        result(b, u.id, 14);
        assertThat(outcomes.get(u.id)).isEqualTo(List.of(14));
    }

    @Test
    void resentWorkGoesToAReadyWorkerNotToTheStartingReplacement() {
        pool(PoolOptions.size(2).retries(1));
        PoolWorker a = worker(0, "a");
        PoolWorker b = worker(1, "b");
        dispatcher.ready(a);
        dispatcher.ready(b);
        WorkUnit u1 = submit(1);
        WorkUnit u2 = submit(2);
        assertThat(sentTo(a)).extracting(Protocol.Batch::id).containsExactly(u1.id);

        exited(a);
        PoolWorker replacement = worker(0, "a2");   // starting: its JVM is not up
        assertThat(sentTo(replacement)).isEmpty();
        result(b, u2.id, 4);
        assertThat(sentTo(b)).extracting(Protocol.Batch::id).containsExactly(u2.id, u1.id);
        result(b, u1.id, 2);
        assertThat(outcomes.get(u1.id)).isEqualTo(List.of(2));
    }

    @Test
    void resentWorkQueuesBehindWorkNotTriedYetSoThatRepeatedLossesSpread() {
        pool(PoolOptions.size(1).retries(1));
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit u1 = submit(1);
        WorkUnit u2 = submit(2);
        WorkUnit u3 = submit(3);
        exited(a);
        PoolWorker a2 = worker(0, "a2");
        dispatcher.ready(a2);
        result(a2, u2.id, 4);
        result(a2, u3.id, 6);
        assertThat(sentTo(a2)).extracting(Protocol.Batch::id).containsExactly(u2.id, u3.id, u1.id);
    }

    @Test
    void whenRetriesAreExhaustedTheFailureSaysSoAndNamesTheWorker() {
        pool(PoolOptions.size(1).retries(1));
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit u = submit(1);
        exited(a);
        PoolWorker a2 = worker(0, "a2");
        dispatcher.ready(a2);
        assertThat(sentTo(a2)).extracting(Protocol.Batch::id).containsExactly(u.id);
        exited(a2);

        assertThat(outcomes.get(u.id)).isInstanceOfSatisfying(ActorTerminatedException.class, e -> assertThat(e)
                .hasMessageContaining("Task of type [java.lang.Integer] on pool [p]")
                .hasMessageContaining("worker [a2] exited: killed (signal 9)")
                .hasMessageContaining("retries exhausted: sent 2 times (PoolOptions.retries is 1)")
                .hasMessageNotContaining("Ask to"));
    }

    @Test
    void theTaskTimerStartsWhenTheWorkerHasStartedUpAndFailsTheTaskWhenItRunsOut() {
        pool(PoolOptions.size(1).taskTimeout(Duration.ofSeconds(2)));
        PoolWorker a = new PoolWorker(0, "a", "procactor://test/a/a", null); // its initializer still runs
        slots[0] = a;
        dispatcher.ready(a);
        WorkUnit u = submit(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(outcomes).as("no timer while the initializer runs").isEmpty();

        a.startedUp.complete(null);
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(outcomes).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(outcomes.get(u.id)).isInstanceOf(AskTimeoutException.class).asString().contains("2000 ms");
        assertThat(progressCalls).as("a close() waiting for the timed-out task is told").isPositive();
        synchronized (lock) {
            assertThat(a.overdue).isEqualTo(1);
            assertThat(dispatcher.idle()).isTrue();
        }
    }

    @Test
    void aWorkerAtItsTaskLimitWhoseLastUnitCouldNotBeSentStillTakesWork() {
        pool(PoolOptions.size(1).maxTasksPerChild(1));
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit refused = submit("unencodable");
        assertThat(outcomes.get(refused.id)).isInstanceOf(MessageSerializationException.class);

        WorkUnit next = submit(1);

        assertThat(sentTo(a)).as("not retired by a task it never got").extracting(Protocol.Batch::id).containsExactly(next.id);
        synchronized (lock) {
            assertThat(a.retiring).as("retires once this one is answered").isTrue();
        }
    }

    @Test
    void eachTaskOfAChunkHasTheWholeTimeoutAndATaskSentBehindItsTimeFromWhenTheWorkerCanStartIt() {
        pool(PoolOptions.size(1).routing(Routing.ROUND_ROBIN).taskTimeout(Duration.ofSeconds(2)));
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit chunk = submit(1, 2, 3);  // three tasks: 6 s
        WorkUnit behind = submit(4);        // sent behind them: timed from when the chunk is answered

        scheduler.advance(Duration.ofMillis(5000));
        result(a, chunk.id, 2, 4, 6);      // 5 s for 3 tasks: in time
        assertThat(outcomes.get(chunk.id)).isEqualTo(List.of(2, 4, 6));
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(outcomes).as("2 s from the chunk's answer, not from its own send").doesNotContainKey(behind.id);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(outcomes.get(behind.id)).isInstanceOf(AskTimeoutException.class).asString().contains("2000 ms");

        outcomes.clear(); // a new pool: its unit ids start again
        pool(PoolOptions.size(1).taskTimeout(Duration.ofSeconds(2)));
        PoolWorker b = worker(0, "b");
        dispatcher.ready(b);
        WorkUnit big = submit(1, 2, 3);
        scheduler.advance(Duration.ofMillis(5999));
        assertThat(outcomes).as("3 tasks of 2 s each may take 6 s").doesNotContainKey(big.id);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(outcomes.get(big.id)).isInstanceOf(AskTimeoutException.class).asString().contains("6000 ms");
    }

    @Test
    void aWorkerStuckOnATimedOutTaskIsStoppedAndTheWorkSentBehindItGoesToItsReplacementWithoutCountingAnAttempt() {
        pool(PoolOptions.size(1).routing(Routing.ROUND_ROBIN).taskTimeout(Duration.ofSeconds(2))); // retries 0
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit stuck = submit(1);
        WorkUnit behind = submit(2);

        scheduler.advance(Duration.ofSeconds(2));
        assertThat(outcomes.get(stuck.id)).isInstanceOf(AskTimeoutException.class);
        assertThat(stopped).as("stopped once, for its stuck task").containsExactly("a");
        assertThat(a.takesWork()).isFalse();
        WorkUnit later = submit(3);
        assertThat(sentTo(a)).as("nothing more for a worker being stopped").hasSize(2);

        exited(a);
        assertThat(outcomes).as("the unit sent behind the stuck one is not lost with it").doesNotContainKey(behind.id);
        PoolWorker b = worker(0, "b");
        dispatcher.ready(b);
        assertThat(sentTo(b)).extracting(Protocol.Batch::id).containsExactly(behind.id, later.id);
        result(b, behind.id, 4);
        assertThat(outcomes.get(behind.id)).isEqualTo(List.of(4));
        assertThat(behind.attempts).isZero();
    }

    @Test
    void aBatchRefusedByTheWorkersFullMailboxFailsItsTasksWithTheCause() {
        pool(PoolOptions.size(1));
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit u = submit(1, 2);
        Protocol.MailboxFull full = new Protocol.MailboxFull("procactor://test/a/a", 2);
        result(a, u.id, full, full);

        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) outcomes.get(u.id);
        assertThat(PoolFailures.failureOf(results.get(0))).isInstanceOf(MailboxOverflowException.class)
                .hasMessageContaining("procactor://test/a/a").hasMessageContaining("(2 messages)")
                .hasMessageContaining("procactor.mailbox.overflow = block");
    }

    @Test
    void anInputThatCannotBeEncodedFailsOnlyItsOwnItemAtOnce() {
        pool(PoolOptions.size(1));
        PoolWorker a = worker(0, "a");
        dispatcher.ready(a);
        WorkUnit chunk = submit(1, "unencodable", 3);
        assertThat(sentTo(a)).extracting(Protocol.Batch::items).containsExactly(List.of(1));
        result(a, sentTo(a).get(0).id(), 2);
        result(a, sentTo(a).get(1).id(), 6);

        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) outcomes.get(chunk.id);
        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isEqualTo(2);
        assertThat(PoolFailures.failureOf(results.get(1))).isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining("Unencodable");
        assertThat(results.get(2)).isEqualTo(6);
        assertThat(dispatcher.completedTasks()).isEqualTo(3);
    }
}
