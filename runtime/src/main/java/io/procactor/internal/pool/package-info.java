/**
 * INTERNAL API. Runs in the node only: the node side of io.procactor.Pool. Depends on node, core,
 * wire and config.
 *
 * <ul>
 *   <li>{@code ProcessPool}: the Pool API, result assembly ({@code MapResults},
 *       {@code UnorderedResults}, {@code BroadcastResults}) and the pool's life (open, closing,
 *       stopped, terminated);</li>
 *   <li>{@code PoolDispatcher}: hands {@code WorkUnit}s to ready workers (push routing through a
 *       {@code RoutingLogic}, work pulling with {@code Prefetch}), task timers, the initializer
 *       barrier, resending the work of a worker that died; unit-tested without JVMs;</li>
 *   <li>{@code PoolWorkers}: the worker processes, one {@code PoolWorker} per slot: start, retire,
 *       replace, give up;</li>
 *   <li>{@code PoolFailures}: what a failed task or map says.</li>
 * </ul>
 *
 * One lock per pool guards all of it; see {@code ProcessPool}.
 */
package io.procactor.internal.pool;
