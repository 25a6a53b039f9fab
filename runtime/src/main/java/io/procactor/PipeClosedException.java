package io.procactor;

/**
 * End of stream on a {@link PipeEnd} (Python's {@code EOFError} / {@code BrokenPipeError}): the
 * other end was closed, or the process that held it exited, and everything it sent has been
 * received. The message says which happened. Unchecked.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class PipeClosedException extends ChannelClosedException {
    public PipeClosedException(String message) {
        super(message);
    }
}
