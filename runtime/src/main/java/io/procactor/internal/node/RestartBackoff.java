package io.procactor.internal.node;

import io.procactor.RestartPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The wait before a child process's next incarnation: the policy's exponential backoff for the
 * attempt, stretched by up to the policy's jitter so that processes that crash together do not
 * restart in lockstep. Immutable and thread-safe when its random source is (the runtime's draws
 * from {@link ThreadLocalRandom} on the calling thread).
 */
final class RestartBackoff {
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1) on every call */
    RestartBackoff(DoubleSupplier random) {
        this.random = random;
    }

    /** Draws from the calling thread's {@link ThreadLocalRandom}. */
    static RestartBackoff withThreadLocalRandom() {
        return new RestartBackoff(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param attempt restarts within the policy's window, counting this one (1-based) */
    Duration delay(RestartPolicy policy, int attempt) {
        Duration base = policy.backoff(attempt);
        long jitter = (long) (base.toMillis() * policy.jitter() * random.getAsDouble());
        return base.plusMillis(jitter);
    }
}
