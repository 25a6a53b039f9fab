package io.procactor.internal.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose time moves only when the test calls {@link #advance(Duration)} (Pekko's
 * {@code ExplicitlyTriggeredScheduler}). Due timers then run on the calling thread, in the order of
 * their due time (timers due at the same time in the order they were scheduled), with the
 * {@link #ticker()} reading that due time while each runs; a fixed-rate timer is armed again one
 * period later and may run several times in one advance. A timer scheduled by a running timer
 * runs in the same advance when it falls due within it.
 *
 * <p>As {@link java.util.concurrent.ScheduledThreadPoolExecutor}: a timer that throws is not run
 * again and its future holds the exception; here the exception is also kept in
 * {@link #failures()} so a test can assert that none was thrown.
 *
 * <p>Thread-safe for scheduling and cancelling; {@code advance} is for one test thread and must
 * not be called from a timer.
 */
public final class ManualScheduler implements Scheduler {

    /** One timer: a {@link FutureTask}, so cancel and the outcome behave as a JDK scheduled future's. */
    private final class Timer extends FutureTask<Void> {
        final long periodNanos;  // 0: once
        final long seq;
        long dueNanos;

        Timer(Runnable task, long dueNanos, long periodNanos, long seq) {
            super(task, null);
            this.dueNanos = dueNanos;
            this.periodNanos = periodNanos;
            this.seq = seq;
        }

        /** Runs it; true when a fixed-rate timer is to run again. */
        boolean fire() {
            if (periodNanos == 0) {
                run();
                return false;
            }
            return runAndReset();
        }

        @Override
        protected void setException(Throwable t) {
            failures.add(t);
            super.setException(t);
        }
    }

    private final ManualTicker ticker;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
            ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.seq, b.seq));
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private long seq;
    private volatile Thread advancing;

    /** With a ticker of its own, starting at 0. */
    public ManualScheduler() {
        this(new ManualTicker());
    }

    /** On {@code ticker}: pass the same ticker to the code under test as its clock. */
    public ManualScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    public ManualTicker ticker() {
        return ticker;
    }

    @Override
    public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return add(task, unit.toNanos(delay), 0);
    }

    @Override
    public Future<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, was [" + period + " " + unit + "]");
        }
        return add(task, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    private synchronized Timer add(Runnable task, long delayNanos, long periodNanos) {
        Timer t = new Timer(task, ticker.nanoTime() + Math.max(0, delayNanos), periodNanos, seq++);
        timers.add(t);
        return t;
    }

    /**
     * Moves time forward by {@code by}, running every timer that falls due on the way; afterwards
     * the ticker reads exactly {@code by} later than before.
     *
     * @return how many timer runs there were
     */
    public int advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time never goes back; advance by zero or more, was [" + by + "]");
        }
        if (advancing == Thread.currentThread()) {
            throw new IllegalStateException("advance called from a timer; timers must not move time themselves");
        }
        long target = ticker.nanoTime() + by.toNanos();
        int runs = 0;
        advancing = Thread.currentThread();
        try {
            Timer t;
            while ((t = nextDue(target)) != null) {
                ticker.advance(Duration.ofNanos(Math.max(0, t.dueNanos - ticker.nanoTime())));
                runs++;
                if (t.fire()) {
                    rearm(t);
                }
            }
        } finally {
            advancing = null;
        }
        ticker.advance(Duration.ofNanos(Math.max(0, target - ticker.nanoTime())));
        return runs;
    }

    /** Runs what is due now, such as timers scheduled with no delay, without moving time. */
    public int runDue() {
        return advance(Duration.ZERO);
    }

    private synchronized Timer nextDue(long target) {
        Timer t;
        while ((t = timers.peek()) != null && t.dueNanos <= target) {
            timers.poll();
            if (!t.isCancelled()) {
                return t;
            }
        }
        return null;
    }

    private synchronized void rearm(Timer t) {
        t.dueNanos += t.periodNanos;
        timers.add(t);
    }

    /** Timers armed and not cancelled. */
    public synchronized int pending() {
        return (int) timers.stream().filter(t -> !t.isCancelled()).count();
    }

    /** How long until the next armed timer is due, if any. */
    public synchronized Optional<Duration> nextDueIn() {
        return timers.stream().filter(t -> !t.isCancelled()).mapToLong(t -> t.dueNanos).min()
                .stream().mapToObj(due -> Duration.ofNanos(due - ticker.nanoTime())).findFirst();
    }

    /** Exceptions thrown by timers so far, in the order thrown. */
    public List<Throwable> failures() {
        return new ArrayList<>(failures);
    }
}
