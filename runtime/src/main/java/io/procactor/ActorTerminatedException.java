package io.procactor;

import java.util.Optional;

/**
 * The target actor is gone: its process exited (see {@link #exitStatus()}) or the actor stopped
 * while its process lives on. Asks fail with this at once, not at their timeout.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class ActorTerminatedException extends ActorException {
    private final transient ExitStatus exitStatus;

    public ActorTerminatedException(String message, ExitStatus exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** How the hosting process ended, when it was the process that died. */
    public Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(exitStatus);
    }
}
