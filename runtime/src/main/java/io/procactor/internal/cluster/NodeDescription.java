package io.procactor.internal.cluster;

import io.procactor.ClusterMember;
import java.util.Map;

/**
 * What a node tells the cluster about itself, before it has an incarnation: host, transport
 * address, cores, memory and labels (placement metadata only). Immutable.
 */
public record NodeDescription(String host, String address, int cores, long memoryBytes, Map<String, String> labels,
                              String role) {
    public NodeDescription {
        labels = Map.copyOf(labels);
    }

    /** A plain node (role {@code node}). */
    public NodeDescription(String host, String address, int cores, long memoryBytes, Map<String, String> labels) {
        this(host, address, cores, memoryBytes, labels, ClusterMember.NODE);
    }

    /** This node as the member of one session: {@code incarnation} is fresh for each registration. */
    public ClusterMember as(String incarnation) {
        return new ClusterMember(host, incarnation, address, cores, memoryBytes, labels, role);
    }
}
