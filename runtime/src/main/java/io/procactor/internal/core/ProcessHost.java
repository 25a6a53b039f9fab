package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;

/**
 * The runtime that hosts this JVM's actors (the node, or a child runtime), told by
 * {@link ProcessCore} when its actors start, stop or fail past their supervisors: a child reports
 * these to the node and decides when to exit; the node only logs.
 *
 * <p>Threads: called on dispatcher threads (the actor's own run), so implementations must be
 * quick and must not block. Implementations are thread-safe.
 */
public interface ProcessHost {
    /** A top-level actor of this process was constructed and its preStart returned. */
    void actorStarted(String name);

    /** An actor of this process stopped; {@code startFailure} is set when it never started. */
    void actorStopped(String name, Protocol.Failure startFailure);

    /** A top-level actor's failure went past the guardian (escalate, or restart intensity exceeded). */
    void escalated(RefImpl actor, Throwable cause);

    /**
     * The function a function process runs threw (or its result could not be sent); the caller
     * has its answer already. A child exits with {@code ExitStatus.TASK_FAILED_CODE} and
     * {@code detail}; the node, which runs no function processes, ignores it.
     */
    default void taskFailed(RefImpl actor, String detail) {
    }
}
