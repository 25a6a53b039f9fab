package io.procactor.internal.pool;

import java.util.List;

/**
 * Each message to the next slot in turn, skipping slots that take no work; the turn moves past
 * each slot looked at, taken or skipped. Not thread-safe: see {@link RoutingLogic}.
 */
final class RoundRobinRouting implements RoutingLogic {
    private int next;

    @Override
    public <R extends Routee> List<R> select(Object message, List<R> routees) {
        int n = routees.size();
        for (int i = 0; i < n; i++) {
            R r = routees.get(Math.floorMod(next++, n));
            if (r != null && r.takesWork()) {
                return List.of(r);
            }
        }
        return List.of();
    }
}
