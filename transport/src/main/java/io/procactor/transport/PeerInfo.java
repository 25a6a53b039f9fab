package io.procactor.transport;

import io.procactor.transport.internal.LogText;
import java.util.Objects;

/**
 * Who is on the other end of a connection: what it stated in the handshake (name, pid, protocol
 * version; a peer can claim anything here) and what the kernel reports about it
 * ({@link PeerCredentials}; a peer cannot forge these).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name            the peer's process name, as it stated it
 * @param pid             the peer's OS process id, as it stated it
 * @param protocolVersion the peer's protocol version
 * @param kernel          what the kernel says about the peer; {@link PeerCredentials#NONE} over TCP
 */
public record PeerInfo(String name, long pid, int protocolVersion, PeerCredentials kernel) {
    public PeerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernel, "kernel");
    }

    /** A peer the kernel told nothing about. */
    public PeerInfo(String name, long pid, int protocolVersion) {
        this(name, pid, protocolVersion, PeerCredentials.NONE);
    }

    /** The same peer with what the kernel reports about it. */
    public PeerInfo withKernel(PeerCredentials credentials) {
        return new PeerInfo(name, pid, protocolVersion, credentials);
    }

    /** Safe to log: the stated name is escaped and truncated (a peer may send newlines or 64 KiB of text). */
    @Override
    public String toString() {
        return LogText.escape(name) + " (pid " + pid + ")";
    }
}
