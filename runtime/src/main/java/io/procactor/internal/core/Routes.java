package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.ExitStatus;
import java.util.Optional;

/** How a process reaches other processes; the node and a child answer differently. Thread-safe. */
public interface Routes {
    /** The link that carries messages to {@code process}, or empty when it is unknown. */
    Optional<Association> linkTo(String process);

    /** The exit status of {@code process} if it has exited, else empty. */
    Optional<ExitStatus> exitStatusOf(String process);

    /** A top-level actor of this process was constructed and its preStart returned. */
    void actorStarted(String name);

    /** An actor of this process stopped; {@code startFailure} is set when it never started. */
    void actorStopped(String name, Protocol.Failure startFailure);

    /** A top-level actor's failure went past the guardian (escalate, or restart intensity exceeded). */
    void escalated(RefImpl actor, Throwable cause);
}
