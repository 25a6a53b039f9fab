package io.procactor.transport;

/**
 * Takes over a connection once it was admitted: by the transport when the peer proved the
 * server's shared credentials ({@link Transport#bind(Endpoint, Credentials, Acceptor)}), or by a
 * {@link Gatekeeper} through {@link Admission#accept(Acceptor)}. Called before the server sends
 * WELCOME, so messages sent on the connection from here on follow the WELCOME.
 *
 * <p>Threading: called on the accepted connection's event-loop thread. Must not block.
 */
@FunctionalInterface
public interface Acceptor {
    /** Returns the handler for messages that arrive on {@code connection}. */
    Inbound accepted(Connection connection);
}
