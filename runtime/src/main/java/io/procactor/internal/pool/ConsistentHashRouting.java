package io.procactor.internal.pool;

import java.util.List;
import java.util.function.Function;

/**
 * Messages with equal keys to the same slot, through a {@link HashRing}; when that slot takes no
 * work (its worker is retiring or being replaced), round robin instead, so that the key's slot
 * gets its keys back once its new worker is up. Not thread-safe: see {@link RoutingLogic}.
 */
final class ConsistentHashRouting implements RoutingLogic {
    private final HashRing ring;
    private final Function<Object, Object> hashKey;
    private final RoundRobinRouting fallback = new RoundRobinRouting();

    /**
     * @param slots   the pool's size: the ring's slots are fixed for the pool's life
     * @param hashKey a message's key ({@code PoolOptions.hashKey})
     */
    ConsistentHashRouting(int slots, Function<Object, Object> hashKey) {
        this.ring = new HashRing(slots);
        this.hashKey = hashKey;
    }

    @Override
    public <R extends Routee> List<R> select(Object message, List<R> routees) {
        R r = routees.get(ring.slotFor(hashKey.apply(message)));
        return r != null && r.takesWork() ? List.of(r) : fallback.select(message, routees);
    }
}
