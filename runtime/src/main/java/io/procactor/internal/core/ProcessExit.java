package io.procactor.internal.core;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * How this JVM's actors end when the JVM ends: the flag that says the JVM is exiting on its own
 * (System.exit, SIGTERM), and the wait for the last actor to stop, which can ignore actors whose
 * thread is stuck in {@code System.exit} (they never stop: that call waits for the shutdown hook
 * that is waiting for them).
 *
 * <p>Threads: thread-safe. {@link #jvmExiting()} and {@link #awaitNoActors} on the shutdown-hook
 * or closing thread; {@link #actorStopped()} on the stopped actor's dispatcher thread;
 * {@link #isJvmExiting()} anywhere. Waiters wait on this object's monitor.
 */
final class ProcessExit {
    private final Collection<ActorCell> actors;
    private final Ticker ticker;
    private volatile boolean jvmExiting;

    /** @param actors a live view of this JVM's actors */
    ProcessExit(Collection<ActorCell> actors, Ticker ticker) {
        this.actors = actors;
        this.ticker = ticker;
    }

    /** See {@link ProcessCore#jvmExiting()}. */
    void jvmExiting() {
        jvmExiting = true;
    }

    boolean isJvmExiting() {
        return jvmExiting;
    }

    /** An actor left the view: wake the waiters. */
    synchronized void actorStopped() {
        notifyAll();
    }

    /**
     * Waits until no actor is left or the timeout elapses; returns whether none is left. With
     * {@code butInSystemExit}, actors whose thread is blocked in System.exit do not count.
     */
    synchronized boolean awaitNoActors(Duration timeout, boolean butInSystemExit) {
        long deadline = ticker.nanoTime() + timeout.toNanos();
        while (!actors.isEmpty() && !(butInSystemExit && actors.stream().allMatch(ActorCell::isInSystemExit))) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - ticker.nanoTime());
            if (left <= 0) {
                return false;
            }
            try {
                // with butInSystemExit, look again now and then: another actor may call System.exit meanwhile
                wait(butInSystemExit ? Math.min(left, 50) : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
