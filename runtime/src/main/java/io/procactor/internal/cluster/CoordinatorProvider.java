package io.procactor.internal.cluster;

/**
 * Service-provider interface for the modes other than {@code local}: procactor-cluster lists its
 * implementation in {@code META-INF/services/io.procactor.internal.cluster.CoordinatorProvider}.
 * Implementations are stateless and thread-safe.
 */
public interface CoordinatorProvider {
    /** Whether this provider implements {@code mode}. */
    boolean supports(ClusterMode mode);

    /**
     * Connects, registers {@code self} as a fresh incarnation and starts watching the others; returns
     * when this node is registered and sees the members present.
     *
     * @throws io.procactor.ActorException when the engine cannot be reached or refuses the secret
     */
    Coordinator open(ClusterSettings settings, NodeDescription self, CoordinatorEvents events);
}
