package io.procactor;

/**
 * A {@link SharedLock} was not free within the time given to {@link SharedLock#lock}; the message
 * names the lock, the wait and the process that held it.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class LockTimeoutException extends ActorException {
    public LockTimeoutException(String message) {
        super(message);
    }
}
