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
 * were not logged. Quiet while the system shuts down.
 *
 * <p>Threads: thread-safe; {@code record} on whichever thread found the message undeliverable
 * (sender, dispatcher or I/O thread): a counter increment, and a short lock for the rate limit.
 */
final class DeadLetters {
    // short names for the callers in this package (ActorCell)
    static final DeadLetterReason ACTOR_STOPPED = DeadLetterReason.ACTOR_STOPPED;
    static final DeadLetterReason NO_SUCH_ACTOR = DeadLetterReason.NO_SUCH_ACTOR;
    static final DeadLetterReason PROCESS_EXITED = DeadLetterReason.PROCESS_EXITED;
    static final DeadLetterReason NO_SUCH_PROCESS = DeadLetterReason.NO_SUCH_PROCESS;
    static final DeadLetterReason MAILBOX_FULL = DeadLetterReason.MAILBOX_FULL;
    static final DeadLetterReason NO_SENDER = DeadLetterReason.NO_SENDER;
    static final DeadLetterReason NOT_SENT = DeadLetterReason.NOT_SENT;

    private static final Logger log = LoggerFactory.getLogger("procactor.deadletters");
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<DeadLetterReason, AtomicLong> counts = new ConcurrentHashMap<>();
    private final int perWindow;
    private final Ticker ticker;
    private long windowStart;
    private int loggedInWindow;
    private long suppressedInWindow;
    private volatile boolean quiet;

    DeadLetters(int perWindow, Ticker ticker) {
        this.perWindow = perWindow;
        this.ticker = ticker;
        this.windowStart = ticker.nanoTime();
    }

    void quiet() {
        quiet = true;
    }

    /** One dead letter: counted under {@code reason}; {@code detail} (may be null) only goes into the log line. */
    void record(DeadLetterReason reason, String type, String path, String detail) {
        counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        if (quiet) {
            return;
        }
        long suppressed = -1;
        synchronized (this) {
            long now = ticker.nanoTime();
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

    /** Counts by reason (its {@link DeadLetterReason#key()}) since the start. */
    Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k.key(), v.get()));
        return m;
    }

    long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
