package io.procactor.internal.pool;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * Each message to a random slot; when that slot takes no work, the next one after it that does.
 * Thread-safe when its random source is (the runtime's draws from {@link ThreadLocalRandom} on the
 * calling thread).
 */
final class RandomRouting implements RoutingLogic {
    private final IntUnaryOperator nextInt;

    /** @param nextInt given a bound, a uniform int in [0, bound) */
    RandomRouting(IntUnaryOperator nextInt) {
        this.nextInt = nextInt;
    }

    static RandomRouting withThreadLocalRandom() {
        return new RandomRouting(bound -> ThreadLocalRandom.current().nextInt(bound));
    }

    @Override
    public <R extends Routee> List<R> select(Object message, List<R> routees) {
        int n = routees.size();
        if (n == 0) {
            return List.of();
        }
        int start = nextInt.applyAsInt(n);
        for (int i = 0; i < n; i++) {
            R r = routees.get((start + i) % n);
            if (r != null && r.takesWork()) {
                return List.of(r);
            }
        }
        return List.of();
    }
}
