package io.procactor.internal.core;

import java.util.ArrayList;

/**
 * Dispatcher turns that messages read from a connection made due, submitted when the I/O thread
 * has finished that read ({@link InboundRouter#readComplete}) instead of at the first message. A
 * stream then wakes an idle dispatcher thread at most once per socket read, not each time the
 * actor happens to have drained its mailbox between two messages of the same read (with a cheap
 * actor: almost every message); and the turn it wakes finds the whole read queued.
 *
 * <p>A deferred turn waits only for the rest of the read the I/O thread is decoding; should a
 * read ever end without a read-complete, the next read-complete of any connection of that thread
 * (a heartbeat's at the latest) submits it.
 *
 * <p>Threads: each I/O thread has its own list (a ThreadLocal, touched only when an idle actor
 * becomes due and at the end of a read).
 */
final class ReadBatchWakeups {
    private static final ThreadLocal<ArrayList<Runnable>> DUE = ThreadLocal.withInitial(ArrayList::new);

    private ReadBatchWakeups() {
    }

    /** Runs {@code submit} (it submits a turn) at the end of this I/O thread's current read. */
    static void defer(Runnable submit) {
        DUE.get().add(submit);
    }

    /** Submits every deferred turn of this thread; all of them even if one fails (the first failure is rethrown). */
    static void flush() {
        ArrayList<Runnable> due = DUE.get();
        if (due.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        int i = 0;
        try {
            for (; i < due.size(); i++) {
                try {
                    due.get(i).run();
                } catch (RuntimeException e) { // a dispatcher shut down under us: the process is going away
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            due.clear();
        } catch (Error e) {
            // the ones tried go (a turn submitted twice would run one actor on two threads); the rest wait for the next flush
            due.subList(0, i + 1).clear();
            throw e;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
