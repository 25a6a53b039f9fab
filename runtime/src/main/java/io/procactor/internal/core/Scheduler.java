package io.procactor.internal.core;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The timers a procactor JVM needs, and nothing more: run a task once after a delay (ask and task
 * timeouts, a child's start timeout and terminate grace period, a restart's backoff,
 * {@code ActorContext.scheduleOnce}), or periodically (heartbeats). Passed in so that tests can use
 * a scheduler whose time only moves when they say so ({@code ManualScheduler} in the tests); the
 * runtime's is {@link SystemScheduler}.
 *
 * <p>Tasks run on the scheduler's thread and must be short: they hand real work to an executor.
 * A task that throws is not run again and the exception is kept in its future, as with
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor}. Implementations are thread-safe.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once, {@code delay} from now (at once when the delay is zero or negative).
     *
     * @return a future whose {@code cancel(false)} stops the task if it has not run yet
     */
    Future<?> schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * Runs {@code task} first {@code initialDelay} from now, then every {@code period} after that
     * start (a late run does not shift the ones after it), until cancelled or until it throws.
     *
     * @return a future whose {@code cancel(false)} stops further runs
     * @throws IllegalArgumentException when {@code period} is not positive
     */
    Future<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit);
}
