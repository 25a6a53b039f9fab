/**
 * INTERNAL API. Runs in child JVMs only: ChildMain (the entry point), ChildRuntime (the control
 * connection to the node, peer connections, when to exit) and the pool reply path. Depends on
 * core, wire and config; never on node or pool.
 */
package io.procactor.internal.child;
