package io.procactor.internal.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when the test says so (Caffeine's {@code FakeTicker}).
 * Starts at 0. Thread-safe.
 */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * Moves time forward; a {@link ManualScheduler} on this ticker runs nothing until its own
     * {@code advance}.
     *
     * @throws IllegalArgumentException when {@code by} is negative: monotonic time never goes back
     */
    public ManualTicker advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time never goes back; advance by zero or more, was [" + by + "]");
        }
        nanos.addAndGet(by.toNanos());
        return this;
    }
}
