package io.procactor.internal.pool;

import io.procactor.internal.core.Scheduler;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's {@code ProcessCore.scheduler()} seen as a {@link Scheduler}, until ProcessCore hands
 * out a {@code Scheduler} itself (then this class goes). Thread-safe.
 */
final class ExecutorScheduler implements Scheduler {
    private final ScheduledExecutorService executor;

    ExecutorScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return executor.schedule(task, delay, unit);
    }

    @Override
    public Future<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return executor.scheduleAtFixedRate(task, initialDelay, period, unit);
    }
}
