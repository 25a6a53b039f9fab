package io.procactor.transport.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Writes at most {@code perWindow} WARN lines per window and counts the rest; the first line
 * after a window with dropped lines says how many were dropped. A flood of refused connections
 * once wrote 0.7 GB of log in 5 s; now it writes a few lines a minute.
 *
 * <p>Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final int perWindow;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private long windowStart;
    private int written;
    private long suppressed;

    public RateLimitedLog(Logger log, int perWindow, long window, TimeUnit unit, LongSupplier nanoClock) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowNanos = unit.toNanos(window);
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** Logs {@code line} at WARN unless this window's lines are used up; returns whether it was logged. */
    public synchronized boolean warn(String line) {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= windowNanos) {
            if (suppressed > 0) {
                log.warn("{} similar lines were not logged in the last {} s", suppressed,
                        TimeUnit.NANOSECONDS.toSeconds(now - windowStart));
            }
            windowStart = now;
            written = 0;
            suppressed = 0;
        }
        if (written < perWindow) {
            written++;
            log.warn(line);
            return true;
        }
        suppressed++;
        return false;
    }
}
