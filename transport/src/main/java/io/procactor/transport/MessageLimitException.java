package io.procactor.transport;

/**
 * A message breaks the {@link DecodeLimits} or declares more than its frame holds. At the sender
 * it fails {@link Connection#send} (nothing was queued); at the receiver it means the peer is
 * broken or hostile, so the connection is closed with this as the cause. Its class is registered,
 * so {@link #className()} is null: the fix is a smaller message or a larger limit, not a
 * registration.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class MessageLimitException extends SerializationException {
    public MessageLimitException(String message, String className, Throwable cause) {
        super(message, className, cause);
    }
}
