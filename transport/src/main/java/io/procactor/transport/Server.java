package io.procactor.transport;

/**
 * A listening socket. Thread-safe.
 */
public interface Server extends AutoCloseable {
    /** Where peers connect: for TCP it carries the port the OS chose. */
    Endpoint endpoint();

    /**
     * Connections refused so far: a wrong token, refused by the {@link Gatekeeper}, a malformed or
     * oversized HELLO, no HELLO within the handshake timeout, or over the pending-handshake cap.
     * Refusals are logged a few per minute; this counts every one.
     */
    long refusedConnections();

    /** Connections accepted whose handshake has not completed yet (at most {@link TransportSettings#maxPendingHandshakes()}). */
    int pendingHandshakes();

    /** Stops accepting; connections already accepted stay open. Deletes a Unix socket file. */
    @Override
    void close();
}
