package io.procactor.transport;

/**
 * Decides what happens to connections a server accepts after they proved the token.
 *
 * <p>Threading: called on the accepted connection's event-loop thread. Must not block.
 */
@FunctionalInterface
public interface Acceptor {
    /** Returns the handler for messages that arrive on {@code connection}. */
    Inbound accepted(Connection connection);
}
