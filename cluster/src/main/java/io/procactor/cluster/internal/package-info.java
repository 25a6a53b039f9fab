/**
 * INTERNAL API of procactor-cluster: the Curator-based
 * {@link io.procactor.internal.cluster.Coordinator}, the embedded ZooKeeper server, the ACL
 * derived from the cluster secret and the member znodes' format.
 */
package io.procactor.cluster.internal;
