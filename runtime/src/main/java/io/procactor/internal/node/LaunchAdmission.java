package io.procactor.internal.node;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Lets at most {@code maxStarting} child JVMs start at once ({@code procactor.process.max-starting}):
 * a JVM counts from its launch until it listens for peers or exits. Further launches wait their
 * turn in order. On a small machine a storm of {@code spawnProcess} calls is then slow, never
 * wrong: the JVMs that run get the CPU they need to connect and finish their handshake within
 * their timeouts, which count from the launch, not from the request. Launches of spares (see
 * {@link SparePool}) ask in the background: any process's launch that waits goes before them.
 *
 * <p>Thread-safe: requests come from user threads and the scheduler (restarts), releases from
 * the I/O thread (a child listening) and the process reaper (an exit). A launch admitted at once
 * runs on the requesting thread; one that waited runs on the executor given.
 */
final class LaunchAdmission {

    /** One request to launch a JVM; released once, when that JVM listens or exits. */
    static final class Ticket {
        private final Consumer<Ticket> launch;
        private final boolean background;
        private final long requestedNanos = System.nanoTime();
        private boolean admitted;
        private boolean released;

        private Ticket(Consumer<Ticket> launch, boolean background) {
            this.launch = launch;
            this.background = background;
        }
    }

    private final int maxStarting;
    private final Executor executor;
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>(); // guarded by this
    private final ArrayDeque<Ticket> waitingInBackground = new ArrayDeque<>(); // guarded by this; after waiting
    private int starting;                                          // guarded by this

    LaunchAdmission(int maxStarting, Executor executor) {
        if (maxStarting < 1) {
            throw new IllegalArgumentException("maxStarting must be at least 1, was [" + maxStarting + "]");
        }
        this.maxStarting = maxStarting;
        this.executor = executor;
    }

    /**
     * Runs {@code launch} now if a start slot is free, otherwise when one is released. It gets its
     * ticket, to {@link #release} once its JVM listens or is gone (or could not be launched).
     */
    Ticket request(Consumer<Ticket> launch) {
        return request(launch, false);
    }

    /** Like {@link #request}, for a launch nobody waits for (a spare): every other launch that waits goes first. */
    Ticket requestInBackground(Consumer<Ticket> launch) {
        return request(launch, true);
    }

    private Ticket request(Consumer<Ticket> launch, boolean background) {
        Ticket t = new Ticket(launch, background);
        synchronized (this) {
            if (starting >= maxStarting) {
                (background ? waitingInBackground : waiting).addLast(t);
                return t;
            }
            starting++;
            t.admitted = true;
        }
        launch.accept(t);
        return t;
    }

    /** The ticket's JVM listens or is gone (or its launch failed): its slot goes to the next in line. */
    void release(Ticket t) {
        Ticket next;
        synchronized (this) {
            if (t == null || !t.admitted || t.released) {
                return;
            }
            t.released = true;
            next = waiting.pollFirst();
            if (next == null) {
                next = waitingInBackground.pollFirst();
            }
            if (next == null) {
                starting--;
                return;
            }
            next.admitted = true; // takes over the slot
        }
        Ticket admitted = next;
        executor.execute(() -> admitted.launch.accept(admitted));
    }

    /** Withdraws a ticket that is still waiting; returns false when it was admitted already. */
    synchronized boolean cancel(Ticket t) {
        if (t.admitted) {
            return false;
        }
        return waiting.remove(t) || waitingInBackground.remove(t);
    }

    /** How many launches wait ahead of {@code t}, or -1 when it was admitted. */
    synchronized int ahead(Ticket t) {
        if (t.admitted) {
            return -1;
        }
        int i = t.background ? waiting.size() : 0;
        for (Iterator<Ticket> it = (t.background ? waitingInBackground : waiting).iterator(); it.hasNext(); i++) {
            if (it.next() == t) {
                return i;
            }
        }
        return -1;
    }

    /** Why {@code t}'s JVM has not started yet, for a timeout's message; null once it was admitted. */
    String describeWait(Ticket t) {
        int ahead = ahead(t);
        if (ahead < 0) {
            return null;
        }
        long waited = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t.requestedNanos);
        return "its JVM is still waiting for a start slot (for " + waited + " ms, " + ahead + " launches ahead of it): at most "
                + maxStarting + " JVMs start at once (procactor.process.max-starting); spawn fewer processes at once or "
                + "wait longer";
    }
}
