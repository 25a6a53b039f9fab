package io.procactor.transport;

/**
 * Who is on the other end of a connection, as it stated during the handshake.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name            the peer's process name
 * @param pid             the peer's OS process id
 * @param protocolVersion the peer's protocol version
 */
public record PeerInfo(String name, long pid, int protocolVersion) {
    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
