package io.procactor.transport;

import java.util.Objects;

/**
 * A connecting peer's HELLO as a {@link Gatekeeper} sees it: who the peer says it is, what the
 * kernel says it is ({@link PeerInfo#kernel()}), and the token it presented, which is never
 * exposed, only compared.
 *
 * <p>Confined to the thread that calls the gatekeeper (an event-loop thread).
 */
public final class Hello {
    private final PeerInfo peer;
    private final byte[] token;
    private boolean proven;

    /** A HELLO from {@code peer} presenting {@code token}; public so that gatekeepers can be unit-tested. */
    public Hello(PeerInfo peer, byte[] token) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.token = token.clone();
    }

    /** The peer as it stated itself, with the kernel's credentials attached. */
    public PeerInfo peer() {
        return peer;
    }

    /**
     * Whether the presented token equals {@code expected}'s, compared in constant time. A server
     * bound with {@link Transport#bind(Endpoint, Gatekeeper)} admits only peers for which this
     * returned true at least once.
     */
    public boolean proves(Credentials expected) {
        boolean ok = expected.matches(token);
        proven |= ok;
        return ok;
    }

    /** Whether {@link #proves} has returned true. */
    public boolean tokenProven() {
        return proven;
    }

    @Override
    public String toString() {
        return "Hello[" + peer + ", " + peer.kernel() + "]";
    }
}
