package io.procactor.internal.core;

import io.procactor.ExitStatus;
import java.util.Optional;

/**
 * Where the other processes of the system are, as this JVM sees them: the node knows its children
 * ({@code node.ChildDirectory}); a child knows the node and the peers it has heard of
 * ({@code child.PeerLinks}). {@link ProcessCore} resolves the target process of each send once,
 * with {@link #route}.
 *
 * <p>Threads: any sender thread, I/O threads (relaying, watch messages) and the dispatcher.
 * Implementations are thread-safe and do no network I/O while holding a lock.
 */
public interface ProcessDirectory {

    /** How to reach a process, resolved once per send. */
    sealed interface Route permits Linked, Gone, Unknown {
    }

    /** Send on {@code association}; it queues until the process's connection exists. */
    record Linked(Association association) implements Route {
    }

    /** The process has exited for good with {@code status}. */
    record Gone(ExitStatus status) implements Route {
    }

    /** No process of that name in this system. */
    record Unknown() implements Route {
        public static final Unknown INSTANCE = new Unknown();
    }

    /**
     * The way to {@code process} (never this JVM's own). A child may set up a new association
     * here (and ask the node where the process listens): call it to send, not to look.
     */
    Route route(String process);

    /**
     * The exit status of {@code process} if it has exited for good. Has no side effect: for
     * wording a failure (an ask timeout, a message that could not be sent), not for sending.
     */
    Optional<ExitStatus> exitStatus(String process);

    /**
     * How far the start of {@code process} got, when it has not started yet (waiting for a start
     * slot, launched but not connected, running its actor's constructor): for wording an ask that
     * timed out meanwhile. Empty when it is up, gone, unknown, or not known here. No side effect.
     */
    default Optional<String> starting(String process) {
        return Optional.empty();
    }
}
