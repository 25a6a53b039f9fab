/**
 * INTERNAL API. Runs in the node only: topology files (model, validation before any JVM starts,
 * the runner). Depends on pool, node, core, wire and config.
 */
package io.procactor.internal.topology;
