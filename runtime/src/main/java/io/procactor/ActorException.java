package io.procactor;

/**
 * Base of the exceptions procactor raises for actor and process failures. Unchecked.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class ActorException extends RuntimeException {
    public ActorException(String message) {
        super(message);
    }

    public ActorException(String message, Throwable cause) {
        super(message, cause);
    }
}
