package io.procactor.internal.core;

/**
 * A source of monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences
 * between two readings mean anything. Passed in (Caffeine's {@code Ticker}) so that restart
 * windows, heartbeats and timeouts can be tested with a clock the test moves by hand.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** The JVM's clock: {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds since an arbitrary origin, never going back. */
    long nanoTime();
}
