package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ManualTicker ticker = scheduler.ticker();
    private final List<String> ran = new ArrayList<>();

    /** Records its name and the time it ran at, in ms. */
    private Runnable task(String name) {
        return () -> ran.add(name + "@" + TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime()));
    }

    @Test
    void nothingRunsUntilTimeIsAdvancedPastTheDelay() {
        scheduler.schedule(task("a"), 100, TimeUnit.MILLISECONDS);

        assertThat(scheduler.advance(Duration.ofMillis(99))).isZero();
        assertThat(ran).isEmpty();
        assertThat(scheduler.advance(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(ran).containsExactly("a@100");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void dueTimersRunInTimeOrderThenInSchedulingOrderWithTheTickerAtTheirDueTime() {
        scheduler.schedule(task("late"), 300, TimeUnit.MILLISECONDS);
        scheduler.schedule(task("first"), 100, TimeUnit.MILLISECONDS);
        scheduler.schedule(task("second"), 100, TimeUnit.MILLISECONDS);
        scheduler.schedule(task("beyond"), 2, TimeUnit.SECONDS);

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("first@100", "second@100", "late@300");
        assertThat(ticker.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(scheduler.pending()).isEqualTo(1);
        assertThat(scheduler.nextDueIn()).contains(Duration.ofSeconds(1));
    }

    @Test
    void aFixedRateTimerRunsOncePerPeriodAndStaysArmed() {
        scheduler.scheduleAtFixedRate(task("hb"), 1, 3, TimeUnit.SECONDS);

        assertThat(scheduler.advance(Duration.ofSeconds(10))).isEqualTo(4);

        assertThat(ran).containsExactly("hb@1000", "hb@4000", "hb@7000", "hb@10000");
        assertThat(scheduler.nextDueIn()).contains(Duration.ofSeconds(3));
    }

    @Test
    void aCancelledTimerNeverRuns() {
        Future<?> once = scheduler.schedule(task("once"), 1, TimeUnit.SECONDS);
        Future<?> periodic = scheduler.scheduleAtFixedRate(task("tick"), 1, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofMillis(1500));
        assertThat(ran).containsExactly("once@1000", "tick@1000");

        periodic.cancel(false);
        once.cancel(false); // already ran: nothing to stop
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("once@1000", "tick@1000");
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(once.isDone()).isTrue();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aFixedRateTimerCanCancelItselfWhileRunning() {
        AtomicReference<Future<?>> self = new AtomicReference<>();
        self.set(scheduler.scheduleAtFixedRate(() -> {
            ran.add("tick");
            if (ran.size() == 2) {
                self.get().cancel(false);
            }
        }, 1, 1, TimeUnit.SECONDS));

        scheduler.advance(Duration.ofSeconds(10));

        assertThat(ran).containsExactly("tick", "tick");
    }

    @Test
    void aTimerScheduledByATimerRunsInTheSameAdvanceWhenDueWithinIt() {
        scheduler.schedule(() -> {
            ran.add("outer");
            scheduler.schedule(task("inner"), 200, TimeUnit.MILLISECONDS);
            scheduler.schedule(task("later"), 5, TimeUnit.SECONDS);
        }, 100, TimeUnit.MILLISECONDS);

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("outer", "inner@300");
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void aZeroOrNegativeDelayRunsAtTheNextRunDueWithoutMovingTime() {
        ticker.advance(Duration.ofMillis(5));
        scheduler.schedule(task("now"), 0, TimeUnit.MILLISECONDS);
        scheduler.schedule(task("past"), -10, TimeUnit.MILLISECONDS);
        assertThat(ran).as("nothing runs inside schedule").isEmpty();

        assertThat(scheduler.runDue()).isEqualTo(2);

        assertThat(ran).containsExactly("now@5", "past@5");
        assertThat(ticker.nanoTime()).isEqualTo(Duration.ofMillis(5).toNanos());
    }

    @Test
    void aTimerThatThrowsIsRecordedKeptInItsFutureAndNotRunAgain() {
        RuntimeException boom = new IllegalStateException("boom");
        Future<?> periodic = scheduler.scheduleAtFixedRate(() -> {
            ran.add("tick");
            throw boom;
        }, 1, 1, TimeUnit.SECONDS);

        scheduler.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("tick");
        assertThat(scheduler.failures()).containsExactly(boom);
        assertThatThrownBy(periodic::get).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void advanceRefusesToGoBackOrToBeCalledFromATimer() {
        assertThatThrownBy(() -> scheduler.advance(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[PT-0.001S]");
        scheduler.schedule(() -> scheduler.advance(Duration.ofSeconds(1)), 1, TimeUnit.MILLISECONDS);

        scheduler.advance(Duration.ofMillis(1));

        assertThat(scheduler.failures()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFixedRateNeedsAPositivePeriod() {
        assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(task("x"), 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0 SECONDS]");
    }

    @Test
    void theManualTickerMovesOnlyForward() {
        ManualTicker t = new ManualTicker();
        assertThat(t.nanoTime()).isZero();
        assertThat(t.advance(Duration.ofMillis(3)).nanoTime()).isEqualTo(3_000_000L);
        assertThatThrownBy(() -> t.advance(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
