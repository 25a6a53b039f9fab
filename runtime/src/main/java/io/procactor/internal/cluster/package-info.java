/**
 * INTERNAL API. Coordination between nodes: the {@link io.procactor.internal.cluster.Coordinator}
 * SPI, its settings ({@code procactor.cluster.*}) and the {@code local} mode, which has no engine
 * and no threads. The other modes ({@code embedded}, {@code zookeeper://...}) live in the
 * procactor-cluster module and are found with {@link java.util.ServiceLoader}. Depends on config
 * (and core and wire) only.
 */
package io.procactor.internal.cluster;
