package io.procactor.internal.pool;

import java.util.List;

/**
 * Each message to the slot with the smallest {@link Routee#load()} among those that take work;
 * on a tie, the lowest index. Stateless; thread-safe.
 */
final class LeastLoadedRouting implements RoutingLogic {

    @Override
    public <R extends Routee> List<R> select(Object message, List<R> routees) {
        R best = null;
        for (R r : routees) {
            if (r != null && r.takesWork() && (best == null || r.load() < best.load())) {
                best = r;
            }
        }
        return best == null ? List.of() : List.of(best);
    }
}
