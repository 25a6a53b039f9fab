package io.procactor;

/**
 * Sent to a watcher ({@link ActorContext#watch}) exactly once when the watched actor is gone:
 * it stopped, failed to start, or its process exited (then {@code status} is the process's
 * {@link ExitStatus}). Immutable.
 */
public record Terminated(ActorRef ref, ExitStatus status) {
}
