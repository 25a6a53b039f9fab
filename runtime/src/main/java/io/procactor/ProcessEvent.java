package io.procactor;

import io.procactor.internal.wire.ChannelMessages;
import java.time.Duration;

/**
 * A named flag that every process of a system can set, clear and wait for (Python's
 * {@code multiprocessing.Event}); made by {@link ActorSystem#event}. This object is a small handle:
 * pass it to another process inside a message or as a {@link Props} argument. Waiters do not poll:
 * the node answers every waiting {@link #await} the moment the event is set.
 *
 * <p>Thread-safe: any thread of any process may call any method; {@link #await} blocks only the caller.
 */
public final class ProcessEvent {
    private final String name;
    private final ActorRef host;
    private final long system;

    ProcessEvent(String name, ActorRef host, long system) {
        this.name = name;
        this.host = host;
        this.system = system;
    }

    /** The name given to {@link ActorSystem#event}. */
    public String name() {
        return name;
    }

    /** Sets the flag and wakes every waiter, in every process (Python's {@code e.set()}). */
    public void set() {
        Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.SET));
    }

    /** Clears the flag (Python's {@code e.clear()}). */
    public void clear() {
        Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.CLEAR));
    }

    /** Whether the flag is set now (Python's {@code e.is_set()}). */
    public boolean isSet() {
        return (Boolean) Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.IS_SET));
    }

    /**
     * Waits until the flag is set, at most {@code timeout}; returns whether it is set (Python's
     * {@code e.wait(timeout)}). Returns at once when it is set already. Not interruptible: an
     * interrupt is set again on return.
     */
    public boolean await(Duration timeout) {
        long wait = Channels.waitNanos(what(), timeout);
        try {
            return (Boolean) Channels.waiting(what(), host, new ChannelMessages.EventWait(system, wait), wait);
        } catch (java.util.concurrent.TimeoutException e) {
            return false; // the host answers false itself; this is only for symmetry
        }
    }

    private String what() {
        return "event [" + name + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessEvent e && e.host.equals(host) && e.system == system;
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessEvent[" + name + "]";
    }
}
