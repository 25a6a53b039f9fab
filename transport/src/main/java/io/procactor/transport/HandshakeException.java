package io.procactor.transport;

/**
 * A connection was refused during the handshake; the message says by whom and why.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class HandshakeException extends RuntimeException {
    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
