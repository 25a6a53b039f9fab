/**
 * Actors of the shipped topologies (run with {@code bin/procactor run FILE}, not as samples):
 *
 * <ul>
 *   <li>{@code config/topologies/pipeline.conf}: a {@link io.procactor.samples.pipeline.Producer}
 *       process sends items through a pool of {@link io.procactor.samples.pipeline.Worker}
 *       processes to a {@link io.procactor.samples.pipeline.Collector} process, which reports the
 *       counts (produced, processed per worker, collected) and says done;
 *   <li>{@code config/topologies/pool-map.conf}: a {@link io.procactor.samples.pipeline.MapJob}
 *       process maps a range of numbers over a pool of {@link io.procactor.samples.pipeline.Square}
 *       workers and reports the results in input order.
 * </ul>
 *
 * <p>Their messages are records registered for serialization in the topology files
 * ({@code procactor.serialization.registrations}), not in code.
 */
package io.procactor.samples.pipeline;
