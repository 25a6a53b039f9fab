package io.procactor.internal.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts messages nobody will handle, by reason, and logs them at a bounded rate: at most
 * {@code procactor.dead-letters.log-per-minute} lines a minute, then one line saying how many
 * were not logged. Quiet while the system shuts down. Thread-safe.
 */
final class DeadLetters {
    static final String ACTOR_STOPPED = "actor stopped";
    static final String NO_SUCH_ACTOR = "no such actor";
    static final String PROCESS_EXITED = "process exited";
    static final String NO_SUCH_PROCESS = "no such process";
    static final String MAILBOX_FULL = "mailbox full";
    static final String NO_SENDER = "reply without sender";
    static final String NOT_SENT = "not sent";

    private static final Logger log = LoggerFactory.getLogger("procactor.deadletters");
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final int perWindow;
    private long windowStart = System.nanoTime();
    private int loggedInWindow;
    private long suppressedInWindow;
    private volatile boolean quiet;

    DeadLetters(int perWindow) {
        this.perWindow = perWindow;
    }

    void quiet() {
        quiet = true;
    }

    void record(String reason, String type, String path, String detail) {
        counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        if (quiet) {
            return;
        }
        long suppressed = -1;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart > WINDOW_NANOS) {
                suppressed = suppressedInWindow;
                windowStart = now;
                loggedInWindow = 0;
                suppressedInWindow = 0;
            }
            if (loggedInWindow >= perWindow) {
                suppressedInWindow++;
                return;
            }
            loggedInWindow++;
        }
        if (suppressed > 0) {
            log.info("{} more dead letters in the last minute were not logged; counts so far: {}", suppressed, counts());
        }
        log.info("Dead letter ({}): message of type [{}] to [{}]{}", reason, type, path, detail == null ? "" : ": " + detail);
    }

    /** Counts by reason since the start. */
    Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
