package io.procactor.transport;

/**
 * A listening socket. Thread-safe.
 */
public interface Server extends AutoCloseable {
    /** Where peers connect: for TCP it carries the port the OS chose. */
    Endpoint endpoint();

    /** Stops accepting; connections already accepted stay open. Deletes a Unix socket file. */
    @Override
    void close();
}
