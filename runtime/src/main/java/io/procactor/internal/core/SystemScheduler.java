package io.procactor.internal.core;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's {@link Scheduler}: one daemon thread, {@code procactor-<process>-scheduler}, of a
 * {@link ScheduledThreadPoolExecutor}. A cancelled timer is removed from the queue at once: asks
 * are usually answered long before they time out, and a queue of dead ask timers would hold their
 * futures until then. Thread-safe; {@link #shutdown()} once, when the process's runtime closes.
 */
public final class SystemScheduler implements Scheduler {
    private final ScheduledThreadPoolExecutor executor;

    /** @param processName names the thread, for thread dumps and logs */
    public SystemScheduler(String processName) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "procactor-" + processName + "-scheduler");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return executor.schedule(task, delay, unit);
    }

    @Override
    public Future<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return executor.scheduleAtFixedRate(task, initialDelay, period, unit);
    }

    /**
     * Drops every pending timer and interrupts a running one; later calls to {@code schedule}
     * throw {@link java.util.concurrent.RejectedExecutionException}.
     */
    public void shutdown() {
        executor.shutdownNow();
    }
}
