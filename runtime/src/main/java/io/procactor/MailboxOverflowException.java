package io.procactor;

/**
 * A message was not accepted because the target's bounded mailbox was full and its overflow
 * policy dropped it ({@code procactor.mailbox.overflow}). Asks fail with it at once, and so do the
 * tasks of a pool batch a worker's mailbox refused; dropped tells are counted as dead letters.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class MailboxOverflowException extends ActorException {
    public MailboxOverflowException(String message) {
        super(message);
    }
}
