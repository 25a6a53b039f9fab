package io.procactor;

/**
 * An actor could not be created: bad {@link Props}, or its constructor or {@code preStart} threw.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class ActorCreationException extends ActorException {
    public ActorCreationException(String message) {
        super(message);
    }

    public ActorCreationException(String message, Throwable cause) {
        super(message, cause);
    }
}
