package io.procactor;

/**
 * A message (or a class inside it) cannot cross a process boundary: it is not registered, or it
 * is larger than {@code procactor.transport.max-frame-size}. Raised at send time; nothing was sent.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class MessageSerializationException extends ActorException {
    public MessageSerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
