package io.procactor;

import io.procactor.internal.cluster.Coordinator;
import java.util.List;

/**
 * The cluster this node belongs to, as its coordination engine sees it ({@code procactor.cluster.mode}):
 * in mode {@code local} (the default) this node alone; in {@code embedded} or
 * {@code zookeeper://...} (module procactor-cluster) every node registered with the same ZooKeeper
 * path and secret. Get it from {@link ActorSystem#cluster()}. Processes go to the cluster's host
 * agents by {@link Placement} (docs/cluster.md).
 *
 * <p>Thread-safe: a view of the coordinator's current state; each call reads it afresh.
 */
public final class Cluster {
    private final Coordinator coordinator;

    Cluster(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    /** {@code local}, {@code embedded} or {@code zookeeper}. */
    public String mode() {
        return coordinator.mode().configName();
    }

    /** This node's current incarnation: a new one after each lost session. */
    public ClusterMember self() {
        return coordinator.self();
    }

    /** The members registered now, this node included while it is registered; sorted by host, then incarnation. */
    public List<ClusterMember> members() {
        return coordinator.members();
    }

    /**
     * Whether this node takes work: false while it is cut off from the coordination engine
     * (suspended), or after its session was lost until it rejoins as a new incarnation.
     */
    public boolean acceptingWork() {
        return coordinator.acceptingWork();
    }

    @Override
    public String toString() {
        return "Cluster[" + mode() + ", self " + self() + "]";
    }
}
