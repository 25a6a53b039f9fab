package io.procactor.internal.core;

import io.procactor.ActorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An ask for a caller that only blocks on the future's {@code get()}/{@code join()} (the handles of
 * node-hosted objects): its future completes on the thread that delivers the reply, instead of
 * one more hop through the runtime's executor, which every other ask takes so that callers'
 * callbacks never run on an I/O thread. Attach no callbacks to it.
 *
 * <p>Threads: call from any thread.
 */
public final class BlockingAsk {
    private BlockingAsk() {
    }

    /** Like {@link ActorRef#ask}, for a caller that blocks on the result and attaches no callbacks. */
    public static CompletableFuture<Object> ask(ActorRef target, Object message, Duration timeout) {
        RefImpl ref = (RefImpl) target;
        return ref.core().ask(ref, message, timeout, true);
    }
}
