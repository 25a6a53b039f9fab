package io.procactor.transport;

/**
 * A message needs more than {@code max-frame-size} once encoded: nothing was sent. The sender may
 * split what it sends (a pool's results go in parts) or fail it with this message, which names the
 * type, the limit and the fix. {@link #className()} is the message's type (it is registered: the
 * fix is a smaller message or a larger limit, not a registration).
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class FrameTooLargeException extends SerializationException {
    public FrameTooLargeException(String message, String className, Throwable cause) {
        super(message, className, cause);
    }
}
