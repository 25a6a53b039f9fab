package io.procactor;

import java.time.Duration;

/**
 * No reply arrived within the ask's timeout; the message names target, message type and timeout.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class AskTimeoutException extends ActorException {
    private final String target;
    private final Duration timeout;

    public AskTimeoutException(String target, String messageType, Duration timeout, boolean processAlive) {
        this(target, messageType, timeout, processAlive ? "The actor did not reply; its process is alive. "
                + "Reply with reply(...) or raise the timeout." : "Its process is not running.");
    }

    /**
     * @param situation what the asker should know about the target's process, one or more sentences
     *                  (for instance that it is still starting, and how far it got)
     */
    public AskTimeoutException(String target, String messageType, Duration timeout, String situation) {
        super("Ask to [" + target + "] timed out after [" + timeout.toMillis() + " ms] (message type [" + messageType + "]). "
                + situation);
        this.target = target;
        this.timeout = timeout;
    }

    public String target() {
        return target;
    }

    public Duration timeout() {
        return timeout;
    }
}
