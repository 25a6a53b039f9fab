package io.procactor;

import java.util.Map;
import java.util.Objects;

/**
 * One node of a cluster, as it registered: its host, the incarnation (a fresh id each time the
 * node joins: a node that lost its session and came back is a new incarnation, and the old one
 * stays dead), the address of its cluster endpoint (TCP, where other hosts reach it), its cores, its memory in bytes and its labels
 * ({@code procactor.cluster.labels}). In mode {@code local} the only member is this node. See
 * {@link ActorSystem#cluster()}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param host        the host name (or {@code procactor.cluster.host})
 * @param incarnation this registration's id, never reused
 * @param address     the node's transport endpoint, as text
 * @param cores       available processors of the node's JVM
 * @param memoryBytes physical memory of the host, in bytes (0 when unknown)
 * @param labels      the node's labels, for placement
 * @param role        {@value #NODE}, or {@value #AGENT} for a host agent that starts processes for other nodes
 *                    ({@code procactor.cluster.role}, {@code bin/procactor agent})
 */
public record ClusterMember(String host, String incarnation, String address, int cores, long memoryBytes,
                            Map<String, String> labels, String role) {
    /** The role of a node that uses the cluster but starts no processes for others. */
    public static final String NODE = "node";
    /** The role of a host agent: {@link Placement}s other than local choose among these. */
    public static final String AGENT = "agent";

    public ClusterMember {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(incarnation, "incarnation");
        Objects.requireNonNull(address, "address");
        labels = Map.copyOf(labels);
        role = role == null || role.isEmpty() ? NODE : role;
    }

    /** A member with role {@value #NODE}. */
    public ClusterMember(String host, String incarnation, String address, int cores, long memoryBytes,
                         Map<String, String> labels) {
        this(host, incarnation, address, cores, memoryBytes, labels, NODE);
    }

    /** Whether this member is a host agent (it takes spawn requests). */
    public boolean isAgent() {
        return AGENT.equals(role);
    }

    @Override
    public String toString() {
        return host + "@" + incarnation;
    }
}
