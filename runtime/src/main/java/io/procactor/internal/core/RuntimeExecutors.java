package io.procactor.internal.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads and the clock of one procactor JVM, passed into {@link ProcessCore} (Caffeine's
 * {@code executor(...)} and {@code Ticker}): the dispatcher that runs actors and completes
 * futures, the {@link Scheduler} for timers, and the {@link Ticker} that measures time. The
 * runtime uses {@link #system}; tests pass a direct or queued executor, a manual scheduler and its
 * ticker, so asks and timeouts run in one thread in milliseconds.
 *
 * <p>Threads: immutable; {@link #shutdown()} once, from the thread that closes the runtime.
 *
 * @param dispatcher runs actors' turns and completes futures; must not run tasks on the caller's
 *                   thread in production (a sender would run the receiver's turn)
 * @param shutdown   stops the dispatcher and the scheduler (nothing for executors a test owns)
 */
public record RuntimeExecutors(Executor dispatcher, Scheduler scheduler, Ticker ticker, Runnable shutdown) {
    private static final Logger log = LoggerFactory.getLogger(RuntimeExecutors.class);

    /**
     * A {@link ForkJoinPool} of {@code dispatcherThreads} daemon threads in async mode
     * ({@code procactor-<process>-dispatcher-N}), a {@link SystemScheduler} and the system clock.
     */
    public static RuntimeExecutors system(String processName, int dispatcherThreads) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService dispatcher = new ForkJoinPool(dispatcherThreads, pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("procactor-" + processName + "-dispatcher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (t, e) -> log.error("Uncaught exception on {}", t.getName(), e), true);
        SystemScheduler scheduler = new SystemScheduler(processName);
        return new RuntimeExecutors(dispatcher, scheduler, Ticker.SYSTEM, () -> {
            scheduler.shutdown();
            dispatcher.shutdown();
            try {
                if (!dispatcher.awaitTermination(2, TimeUnit.SECONDS)) {
                    dispatcher.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Executors a test owns: {@link #shutdown()} leaves them alone. */
    public static RuntimeExecutors of(Executor dispatcher, Scheduler scheduler, Ticker ticker) {
        return new RuntimeExecutors(dispatcher, scheduler, ticker, () -> { });
    }
}
