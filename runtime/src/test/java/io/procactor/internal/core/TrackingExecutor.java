package io.procactor.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An executor for tests that runs tasks on the test's thread (Caffeine's {@code TrackingExecutor}
 * with {@code Runnable::run}): {@link #direct()} runs each task inside {@code execute};
 * {@link #queued()} holds them until {@link #runAll()} or {@link #runNext()}, so a test can look
 * between submission and execution. A task that throws does not reach the caller (as on a real
 * pool): the exception is kept, and {@link #assertNoFailures()} fails the test with it.
 *
 * <p>Thread-safe; tasks run only on the thread that calls {@code execute} (direct) or {@code run*}
 * (queued).
 */
public final class TrackingExecutor extends AbstractExecutorService {
    private final boolean direct;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean shutdown;
    private final AtomicLong completed = new AtomicLong();

    private TrackingExecutor(boolean direct) {
        this.direct = direct;
    }

    /** Runs each task at once, inside {@code execute}. */
    public static TrackingExecutor direct() {
        return new TrackingExecutor(true);
    }

    /** Holds tasks until {@link #runAll()} or {@link #runNext()}. */
    public static TrackingExecutor queued() {
        return new TrackingExecutor(false);
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("executor is shut down; task [" + task + "] rejected");
        }
        if (direct) {
            run(task);
        } else {
            queue.add(task);
        }
    }

    /** Runs the oldest waiting task; false when none waits. */
    public boolean runNext() {
        Runnable task = queue.poll();
        if (task == null) {
            return false;
        }
        run(task);
        return true;
    }

    /** Runs waiting tasks, and those they submit, until none waits; returns how many ran. */
    public int runAll() {
        int n = 0;
        while (runNext()) {
            n++;
        }
        return n;
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            failures.add(t);
        } finally {
            completed.incrementAndGet();
        }
    }

    /** Tasks waiting to run. */
    public int waiting() {
        return queue.size();
    }

    /** Tasks that ran, normally or not. */
    public long completed() {
        return completed.get();
    }

    /** What tasks threw, in order. */
    public List<Throwable> failures() {
        return new ArrayList<>(failures);
    }

    /** Fails with the first exception a task threw (the others suppressed), if any. */
    public void assertNoFailures() {
        if (failures.isEmpty()) {
            return;
        }
        AssertionError e = new AssertionError(failures.size() + " task(s) threw on the executor; the first: "
                + failures.get(0), failures.get(0));
        failures.stream().skip(1).forEach(e::addSuppressed);
        throw e;
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    /** Never waits: nothing runs unless the test runs it. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
