package io.procactor.transport;

/**
 * A message could not be encoded or decoded: its class (or a class inside it) is not registered,
 * the frame would exceed {@code max-frame-size}, or the serializer failed. The message says which
 * class and how to fix it.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class SerializationException extends RuntimeException {
    private final String className;

    public SerializationException(String message, String className, Throwable cause) {
        super(message, cause);
        this.className = className;
    }

    /** The class that could not be handled, when known, else null. */
    public String className() {
        return className;
    }
}
