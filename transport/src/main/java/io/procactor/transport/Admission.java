package io.procactor.transport;

import java.util.Objects;

/**
 * A {@link Gatekeeper}'s answer to one HELLO: serve the peer, or refuse it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Admission {
    private final Acceptor acceptor;
    private final String refusal;

    private Admission(Acceptor acceptor, String refusal) {
        this.acceptor = acceptor;
        this.refusal = refusal;
    }

    /**
     * Serve the peer: the server sends WELCOME and from then on hands the connection to
     * {@code acceptor} (called once, on the connection's event loop, before any message is read).
     */
    public static Admission accept(Acceptor acceptor) {
        return new Admission(Objects.requireNonNull(acceptor, "acceptor"), null);
    }

    /**
     * Refuse the peer: the server sends REFUSE with {@code reason} and closes the connection;
     * nothing the peer sent or sends is decoded. The reason is sent to the peer, so it must not
     * contain secrets.
     */
    public static Admission refuse(String reason) {
        return new Admission(null, Objects.requireNonNull(reason, "reason"));
    }

    public boolean accepted() {
        return acceptor != null;
    }

    /** Who takes the connection; only for an accepting admission. */
    public Acceptor acceptor() {
        if (acceptor == null) {
            throw new IllegalStateException("a refusal has no acceptor");
        }
        return acceptor;
    }

    /** Why the peer was refused; only for a refusal. */
    public String refusal() {
        if (refusal == null) {
            throw new IllegalStateException("an acceptance has no refusal reason");
        }
        return refusal;
    }

    @Override
    public String toString() {
        return accepted() ? "Admission[accept]" : "Admission[refuse: " + refusal + "]";
    }
}
