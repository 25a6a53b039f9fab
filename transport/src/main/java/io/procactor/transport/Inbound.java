package io.procactor.transport;

/**
 * Receives what arrives on one connection.
 *
 * <p>Threading: called on the connection's event-loop thread, one call at a time per connection,
 * in arrival order. Must not block.
 */
public interface Inbound {
    void onMessage(Connection connection, Object message);

    /** The peer answered a {@link Connection#ping()} (or sent a PONG of its own). Does nothing by default. */
    default void onPong(Connection connection) {
    }

    /**
     * The event loop has handed over everything one read from this connection's socket gave
     * (after one or more {@link #onMessage} calls): a receiver that deferred work per message (a
     * wake-up of another thread) can do it once here. Does nothing by default.
     */
    default void onReadComplete(Connection connection) {
    }

    /**
     * The connection closed.
     *
     * @param cause why, when it was not an orderly close; else null
     */
    void onClosed(Connection connection, Throwable cause);
}
