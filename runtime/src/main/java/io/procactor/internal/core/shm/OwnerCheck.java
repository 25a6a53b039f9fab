package io.procactor.internal.core.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the owner of one lock word was last looked up in {@code /proc}, shared by every wait on
 * it in this process: a wait that gives up at once (a poll, {@code tryLock()}) never reaches the
 * check a longer wait makes after {@value LockWord#OWNER_CHECK_MILLIS} ms, so a lock whose holder
 * died would stay held for such callers forever. They check when none did for that long.
 * Thread-safe.
 */
public final class OwnerCheck {
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(LockWord.OWNER_CHECK_MILLIS);
    private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL);

    /** Whether a check is due at {@code now} ({@link System#nanoTime()}); true claims it. */
    public boolean due(long now) {
        long l = last.get();
        return now - l >= INTERVAL && last.compareAndSet(l, now);
    }
}
