package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class TrackingExecutorTest {
    private final List<String> ran = new ArrayList<>();

    @Test
    void directRunsEachTaskInsideExecute() {
        TrackingExecutor executor = TrackingExecutor.direct();

        executor.execute(() -> ran.add("a"));

        assertThat(ran).containsExactly("a");
        assertThat(executor.completed()).isEqualTo(1);
        executor.assertNoFailures();
    }

    @Test
    void queuedHoldsTasksUntilRunAllWhichAlsoRunsWhatTheySubmit() {
        TrackingExecutor executor = TrackingExecutor.queued();
        executor.execute(() -> {
            ran.add("a");
            executor.execute(() -> ran.add("c"));
        });
        executor.execute(() -> ran.add("b"));
        assertThat(ran).isEmpty();
        assertThat(executor.waiting()).isEqualTo(2);

        assertThat(executor.runNext()).isTrue();
        assertThat(ran).containsExactly("a");
        assertThat(executor.runAll()).isEqualTo(2);

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(executor.runNext()).isFalse();
    }

    @Test
    void aTaskThatThrowsDoesNotReachTheCallerButFailsAssertNoFailures() {
        TrackingExecutor executor = TrackingExecutor.direct();
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second");

        executor.execute(() -> {
            throw first;
        });
        executor.execute(() -> {
            throw second;
        });
        executor.execute(() -> ran.add("still runs"));

        assertThat(ran).containsExactly("still runs");
        assertThat(executor.failures()).containsExactly(first, second);
        assertThatThrownBy(executor::assertNoFailures).isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 task(s) threw").hasCause(first)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
    }

    @Test
    void afterShutdownTasksAreRejectedAndShutdownNowReturnsTheWaitingOnes() {
        TrackingExecutor executor = TrackingExecutor.queued();
        Runnable waiting = () -> ran.add("never");
        executor.execute(waiting);

        assertThat(executor.shutdownNow()).containsExactly(waiting);

        assertThat(executor.isTerminated()).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(ran).isEmpty();
    }
}
