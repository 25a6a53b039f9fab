package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one real-thread test here: the wrapper's own promises (thread, cancel, shutdown). */
class SystemSchedulerTest {
    private final SystemScheduler scheduler = new SystemScheduler("worker-1");

    @AfterEach
    void shutdown() {
        scheduler.shutdown();
    }

    @Test
    void timersRunOnOneNamedDaemonThread() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        scheduler.schedule(() -> ranOn.complete(Thread.currentThread()), 1, TimeUnit.MILLISECONDS);

        Thread t = ranOn.get(10, TimeUnit.SECONDS);
        assertThat(t.getName()).isEqualTo("procactor-worker-1-scheduler");
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void aFixedRateTimerRepeatsUntilCancelled() throws Exception {
        CountDownLatch three = new CountDownLatch(3);

        Future<?> timer = scheduler.scheduleAtFixedRate(three::countDown, 0, 1, TimeUnit.MILLISECONDS);

        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(timer.cancel(false)).isTrue();
        assertThat(timer.isCancelled()).isTrue();
    }

    @Test
    void afterShutdownNothingCanBeScheduled() {
        scheduler.shutdown();

        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
