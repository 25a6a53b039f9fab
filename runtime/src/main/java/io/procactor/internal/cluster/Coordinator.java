package io.procactor.internal.cluster;

import io.procactor.ClusterMember;
import java.util.List;

/**
 * Membership and failure detection between nodes, from an existing coordination engine (never a
 * home-made one). One per node, opened by {@link Coordinators#open} when the node starts and
 * closed when it closes; {@link CoordinatorEvents} get what happens in between. Implementations
 * other than {@link LocalCoordinator} come from a {@link CoordinatorProvider} (procactor-cluster).
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface Coordinator extends AutoCloseable {
    /** The mode this coordinator implements. */
    ClusterMode mode();

    /** This node's current incarnation (a new one after each lost session). */
    ClusterMember self();

    /** The members registered now, this node included while it is registered; sorted by host, then incarnation. */
    List<ClusterMember> members();

    /** Whether this node may take work: false while suspended from, or lost to, the engine. */
    boolean acceptingWork();

    /** Leaves the cluster (the others see this member lost) and stops the coordinator's threads. Idempotent. */
    @Override
    void close();
}
