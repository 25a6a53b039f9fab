/**
 * INTERNAL API. Runs in the node only: the node side of io.procactor.Pool (task dispatch, routing,
 * worker processes). Depends on node, core, wire and config.
 */
package io.procactor.internal.pool;
