package io.procactor.internal.pool;

import io.procactor.Routing;
import java.util.List;
import java.util.function.Function;

/**
 * How a pool picks the worker(s) for one message or task it pushes (Pekko's
 * {@code RoutingLogic.select}): one object per {@link Routing}, one method. Work pulling, the
 * default, is not a selection: a task waits on the node until some worker has room, and the pool's
 * dispatcher decides which; {@link #of} gives it least-loaded selection for what is pushed anyway
 * (messages sent to the pool's ref).
 *
 * <p>Not thread-safe (round robin keeps a counter): the pool calls {@code select} under its lock.
 */
interface RoutingLogic {

    /** A worker slot as routing sees it. */
    interface Routee {
        /** False while the worker is retiring or after it exited: it gets nothing new. */
        boolean takesWork();

        /** Its queue: the mailbox depth it last reported plus what was sent to it since. */
        int load();
    }

    /**
     * The routees to send {@code message} to: none when no routee takes work, every one that does
     * for broadcast, else one.
     *
     * @param message  what is routed; only consistent hashing reads it (through its hash-key function)
     * @param routees  the pool's slots by index; a null element is a slot left empty (its worker cannot
     *                 start). Consistent hashing maps keys to indexes, so the list must keep its order
     */
    <R extends Routee> List<R> select(Object message, List<R> routees);

    /**
     * The logic for {@code routing} over {@code slots} slots.
     *
     * @param hashKey the routing key of a message, for {@link Routing#CONSISTENT_HASHING}
     */
    static RoutingLogic of(Routing routing, int slots, Function<Object, Object> hashKey) {
        return switch (routing) {
            case ROUND_ROBIN -> new RoundRobinRouting();
            case RANDOM -> RandomRouting.withThreadLocalRandom();
            case CONSISTENT_HASHING -> new ConsistentHashRouting(slots, hashKey);
            case BROADCAST -> new BroadcastRouting();
            case LEAST_LOADED, WORK_PULLING -> new LeastLoadedRouting();
        };
    }
}
