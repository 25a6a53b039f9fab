/**
 * procactor-cluster: coordination and membership between procactor nodes on several hosts, from
 * Apache ZooKeeper through Apache Curator. Put this module on the class path and set
 * {@code procactor.cluster.mode} to {@code embedded} or {@code zookeeper} (with
 * {@code procactor.cluster.url} and a {@code procactor.cluster.secret}); the runtime finds it with
 * {@link java.util.ServiceLoader}. The API stays in {@code io.procactor}:
 * {@link io.procactor.ActorSystem#cluster()}, {@link io.procactor.ClusterMember},
 * {@link io.procactor.NodeLostException}. {@link io.procactor.cluster.ClusterSecret} makes secrets. See
 * docs/cluster.md.
 */
package io.procactor.cluster;
