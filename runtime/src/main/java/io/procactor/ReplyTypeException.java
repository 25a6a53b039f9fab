package io.procactor;

/**
 * A reply was not of the type the caller asked for ({@link ActorRef#ask(Object, Class, java.time.Duration)}):
 * the message names the actor, the expected type and the actual one.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class ReplyTypeException extends ActorException {
    private final String expectedType;
    private final String actualType;

    public ReplyTypeException(String message, String expectedType, String actualType) {
        super(message, null);
        this.expectedType = expectedType;
        this.actualType = actualType;
    }

    /** The class name the caller expected. */
    public String expectedType() {
        return expectedType;
    }

    /** The class name of the reply that arrived. */
    public String actualType() {
        return actualType;
    }
}
