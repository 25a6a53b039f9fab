package io.procactor;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The handle of one child JVM hosting actors: Python's {@code multiprocessing.Process} for actors.
 *
 * <p>Thread-safe. Every state change is observable through {@link #onExit()}.
 */
public interface ActorProcess {
    /** The process name, unique within its system. */
    String name();

    /**
     * Starts the JVM; returns at once (the JVM becomes ready in the background, and messages sent
     * meanwhile wait for it). Once its system has begun to close, no JVM is launched: the process
     * ends {@link ExitStatus.Reason#TERMINATED} without one (see {@code ActorSystem.close()}). A JVM
     * that starts and then fails (it refuses an option, its actor cannot be created) ends
     * {@link ExitStatus.Reason#STARTUP_FAILED}, which {@code onExit()} reports, however soon it exits.
     *
     * @throws IllegalStateException if it was started before, or when no JVM could be launched at all
     *                               (the {@code java} executable cannot be run, a host agent refused it)
     */
    ActorProcess start();

    /**
     * Where the process's JVM runs (the one running now, or the last one): {@code "local"} for this
     * node's host, else the cluster member {@code host@incarnation} of the agent (see {@link Placement}).
     */
    default String host() {
        return "local";
    }

    /** The ref of the actor this process was created with; usable before start. */
    ActorRef ref();

    /**
     * The OS pid (of the JVM running now, or of the last one while a restart waits).
     *
     * @throws IllegalStateException if the process was not started, or its first JVM is still waiting
     *         for a start slot ({@code procactor.process.max-starting}); the message says which
     */
    long pid();

    /** True from {@link #start()} until the JVM has exited. */
    boolean isAlive();

    /**
     * Completes when the process is up: its JVM connected to the node, and its actor was constructed
     * and its preStart returned (fails if the process exits first, e.g. because either threw).
     * Messages need not wait for it; they are queued until then anyway.
     */
    CompletableFuture<ActorProcess> ready();

    /** Waits, without a time limit, until the process has exited for good; returns how it ended. */
    ExitStatus join() throws InterruptedException;

    /**
     * Waits until the process exits or the timeout elapses.
     *
     * @return true if it has exited
     */
    boolean join(Duration timeout) throws InterruptedException;

    /**
     * Graceful stop: the process stops taking messages, runs {@code postStop} of every hosted actor
     * and exits. If it has not exited after {@code procactor.process.terminate-grace-period}, it is
     * killed. Returns at once; {@link #join} waits. Does nothing if the process is not alive.
     */
    void terminate();

    /** How many times the node respawned this process (see {@link RestartPolicy}). */
    int restarts();

    /** Kills the JVM at once (SIGKILL); no hook runs. Returns at once. */
    void kill();

    /** How the process ended; empty while it has not started or still runs (Python's {@code exitcode is None}). */
    Optional<ExitStatus> exitStatus();

    /** Completes with the exit status when the process has exited (and been reaped). */
    CompletableFuture<ExitStatus> onExit();
}
