/**
 * INTERNAL API. Runs in the node (the user's JVM) only: NodeRuntime, one ChildHandle per child
 * process (launch, heartbeats, exit status, restarts), the admin endpoint. Depends on core, wire
 * and config, and on child only for ChildMain's class name and its system property.
 */
package io.procactor.internal.node;
