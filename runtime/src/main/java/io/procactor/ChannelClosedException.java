package io.procactor;

/**
 * A {@link ProcessQueue}, {@link PipeEnd}, {@link ProcessEvent} or {@link ProcessMap} cannot be
 * used any more: it was closed, or its system closed. The message names the object and why.
 * Unchecked.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class ChannelClosedException extends ActorException {
    public ChannelClosedException(String message) {
        super(message);
    }

    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
