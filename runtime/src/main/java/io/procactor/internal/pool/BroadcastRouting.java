package io.procactor.internal.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Each message to every slot that takes work, in slot order. (A broadcast task is instead one copy
 * per slot, each pinned to its slot by the dispatcher.) Stateless; thread-safe.
 */
final class BroadcastRouting implements RoutingLogic {

    @Override
    public <R extends Routee> List<R> select(Object message, List<R> routees) {
        List<R> all = new ArrayList<>(routees.size());
        for (R r : routees) {
            if (r != null && r.takesWork()) {
                all.add(r);
            }
        }
        return all;
    }
}
