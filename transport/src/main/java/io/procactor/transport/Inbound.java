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
     * The connection closed.
     *
     * @param cause why, when it was not an orderly close; else null
     */
    void onClosed(Connection connection, Throwable cause);
}
