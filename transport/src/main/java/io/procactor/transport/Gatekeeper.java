package io.procactor.transport;

/**
 * Decides, for each connection whose HELLO arrived, whether the server serves it. It runs before
 * the server answers anything: a refused peer gets REFUSE, never WELCOME, and nothing it sends is
 * decoded. It is given who the peer claims to be, what the kernel says it is
 * ({@link PeerInfo#kernel()}) and the token to check with {@link Hello#proves(Credentials)}, so
 * that every peer can have its own one-time secret.
 *
 * <p>Threading: called on the connection's event-loop thread. Must not block.
 */
@FunctionalInterface
public interface Gatekeeper {
    Admission admit(Hello hello);
}
