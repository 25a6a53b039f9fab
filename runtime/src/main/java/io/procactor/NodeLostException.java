package io.procactor;

/**
 * The node an actor or process lived on is gone for the cluster: its coordination session expired
 * (or it left), so everything it hosted is dead, whatever state it was in. The cause for watchers
 * and pending asks of actors on another host. {@link #host()} and {@link #incarnation()} name the
 * lost member; that incarnation never comes back (a host that reconnects joins as a new one).
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class NodeLostException extends ActorException {
    private final String host;
    private final String incarnation;

    public NodeLostException(String host, String incarnation) {
        super("node " + host + "@" + incarnation + " is lost to the cluster (its session expired or it left); "
                + "everything it hosted is gone");
        this.host = host;
        this.incarnation = incarnation;
    }

    /** The host of the lost node. */
    public String host() {
        return host;
    }

    /** The lost incarnation's id. */
    public String incarnation() {
        return incarnation;
    }
}
