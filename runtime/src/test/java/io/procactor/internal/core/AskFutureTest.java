package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link AskFuture}: a caller blocked in {@code get()} takes the reply from the delivering thread
 * and completes the future on its own thread; nobody blocked, the reply takes the executor path;
 * every other way to complete the future still wakes the caller.
 */
class AskFutureTest {
    private static final Duration WAIT = Timeouts.seconds(5);
    private final TrackingExecutor executor = TrackingExecutor.queued();

    /** Starts {@code body} on a new thread and waits until that thread is parked in the future. */
    private static Thread blockedIn(AskFuture f, Runnable body) {
        Thread t = new Thread(body, "asker");
        t.start();
        await().atMost(WAIT).until(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
        assertThat(LockSupport.getBlocker(t)).isSameAs(f);
        return t;
    }

    @Test
    void aBlockedCallerTakesTheReplyAndRunsCallbacksOnItsOwnThreadNotTheDeliverers() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> got = new AtomicReference<>();
        AtomicReference<String> callbackThread = new AtomicReference<>();
        f.thenRun(() -> callbackThread.set(Thread.currentThread().getName()));
        Thread asker = blockedIn(f, () -> {
            try {
                got.set(f.get());
            } catch (Exception e) {
                got.set(e);
            }
        });

        assertThat(f.handOff("pong", null)).isTrue();
        asker.join(WAIT.toMillis());

        assertThat(got.get()).isEqualTo("pong");
        assertThat(f).isCompletedWithValue("pong");
        assertThat(callbackThread.get()).isEqualTo("asker");
        assertThat(executor.waiting()).isZero(); // no executor hop
    }

    @Test
    void aFailureIsHandedOverToo() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread asker = blockedIn(f, () -> {
            try {
                got.set(f.join());
            } catch (RuntimeException e) {
                got.set(e.getCause());
            }
        });
        IllegalStateException boom = new IllegalStateException("boom");

        assertThat(f.handOff(null, boom)).isTrue();
        asker.join(WAIT.toMillis());

        assertThat(got.get()).isSameAs(boom);
        assertThat(f).isCompletedExceptionally();
    }

    @Test
    void anInterruptedThreadInJoinParksInsteadOfSpinningAndKeepsItsInterrupt() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> got = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        // blockedIn waits until the thread parks: a thread whose interrupt makes park() return at once does so only for an instant
        Thread asker = blockedIn(f, () -> {
            Thread.currentThread().interrupt();
            got.set(f.join());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });

        // parked, not spinning: park() returns at once while the interrupt is set, so a loop that leaves it set
        // is RUNNABLE nearly all the time (an assertion over a window, not a wait for something)
        await().during(Duration.ofMillis(300)).atMost(WAIT.plusSeconds(1))
                .until(() -> asker.getState() == Thread.State.WAITING);
        assertThat(f.handOff("pong", null)).isTrue();
        asker.join(WAIT.toMillis());

        assertThat(got.get()).isEqualTo("pong");
        assertThat(stillInterrupted.get()).as("join() does not swallow the interrupt").isTrue();
    }

    @Test
    void withoutABlockedCallerNothingIsHandedOver() {
        AskFuture f = new AskFuture(executor);

        assertThat(f.handOff("pong", null)).isFalse();
        assertThat(f).isNotDone();
    }

    @Test
    void aTimedGetThatExpiresLeavesTheReplyToTheUsualPath() {
        AskFuture f = new AskFuture(executor);

        assertThatThrownBy(() -> f.get(5, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(f.handOff("late", null)).isFalse();
        assertThat(f.complete("late")).isTrue();
        assertThat(f).isCompletedWithValue("late");
    }

    @Test
    void completingTheFutureAnotherWayWakesTheBlockedCaller() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread asker = blockedIn(f, () -> {
            try {
                got.set(f.get());
            } catch (ExecutionException e) {
                got.set(e.getCause());
            } catch (Exception e) {
                got.set(e);
            }
        });

        f.completeExceptionally(new IllegalArgumentException("timed out elsewhere"));
        asker.join(WAIT.toMillis());

        assertThat(asker.isAlive()).isFalse();
        assertThat(got.get()).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.handOff("late", null)).isFalse();
    }

    @Test
    void completeAsyncWakesTheBlockedCallerAndFailsAsTheJdksDoes() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread asker = blockedIn(f, () -> got.set(f.join()));

        f.completeAsync(() -> "supplied"); // on the future's default executor, the queued one here
        executor.runAll();
        asker.join(WAIT.toMillis());

        assertThat(asker.isAlive()).as("woken, not parked until the ask's timeout").isFalse();
        assertThat(got.get()).isEqualTo("supplied");

        AskFuture failing = new AskFuture(executor);
        AskFuture plain = new AskFuture(executor);
        failing.completeAsync(() -> {
            throw new IllegalStateException("no value");
        });
        AtomicInteger supplied = new AtomicInteger();
        plain.completeAsync(() -> supplied.incrementAndGet()).complete("first"); // done before the task runs
        executor.runAll();
        assertThat(supplied).as("the supplier of a future already done is not called").hasValue(0);
        assertThat(failing.handle((v, t) -> t).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("no value");
        assertThat(plain.join()).isEqualTo("first");
    }

    @Test
    void aSecondBlockedCallerIsWokenWhenTheFirstCompletesTheFuture() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread a = blockedIn(f, () -> first.set(f.join()));
        Thread b = new Thread(() -> second.set(f.join()), "second");
        b.start();
        await().atMost(WAIT).until(() -> b.getState() == Thread.State.WAITING);

        assertThat(f.handOff("pong", null)).isTrue();
        a.join(WAIT.toMillis());
        b.join(WAIT.toMillis());

        assertThat(first.get()).isEqualTo("pong");
        assertThat(second.get()).isEqualTo("pong");
    }

    @Test
    void anInterruptedCallerStopsWaitingAndTheReplyTakesTheUsualPath() throws Exception {
        AskFuture f = new AskFuture(executor);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread asker = blockedIn(f, () -> {
            try {
                got.set(f.get());
            } catch (Exception e) {
                got.set(e);
            }
        });

        asker.interrupt();
        asker.join(WAIT.toMillis());

        assertThat(got.get()).isInstanceOf(InterruptedException.class);
        assertThat(f.handOff("pong", null)).isFalse();
        assertThat(f).isNotDone();
    }

    @Test
    void theAskTableHandsARemoteReplyToTheBlockedCallerInsteadOfTheExecutor() throws Exception {
        try (CellHarness cells = new CellHarness("")) {
            AskTable table = cells.core.asks();
            AskFuture f = new AskFuture(executor);
            long id = table.register(cells.core.ref("worker", "worker"), "ping", CellHarness.TIMEOUT, f);
            AtomicReference<Object> got = new AtomicReference<>();
            Thread asker = blockedIn(f, () -> got.set(f.join()));

            table.reply(id, "pong");
            asker.join(WAIT.toMillis());

            assertThat(got.get()).isEqualTo("pong");
            assertThat(cells.dispatcher.waiting()).isZero();
        }
    }
}
