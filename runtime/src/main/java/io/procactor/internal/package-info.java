/**
 * INTERNAL API: not for users, may change in any release. The runtime behind {@code io.procactor},
 * split by the JVM a class runs in and by role:
 *
 * <pre>
 *   package    runs in          what it holds
 *   core       every JVM        actor cells, mailboxes, asks, refs, associations to other processes
 *   wire       every JVM        the runtime's wire records and codecs (what crosses a process boundary)
 *   config     every JVM        settings read once from HOCON (node) or from the bootstrap (child)
 *   node       the node only    NodeRuntime, one ChildHandle per child JVM, launch, exit status, admin endpoint
 *   child      child JVMs only  ChildMain, ChildRuntime, peer connections, pool replies
 *   pool       the node only    the node side of Pool: dispatch, routing, workers
 *   topology   the node only    topology files: model, validation, runner
 *   channels   the node only    the actors hosting queues, pipes, events and managed maps
 *   cluster    the node only    the Coordinator SPI (membership between hosts), its settings, mode local
 * </pre>
 *
 * <p>Dependencies point one way (enforced by {@code ArchitectureTest}):
 *
 * <pre>
 *   io.procactor (API facade) ──► any internal package
 *   topology ──► pool, node, cluster, core, wire, config
 *   channels ──► core, wire, config
 *   pool     ──► node, cluster, core, wire, config
 *   node     ──► child (ChildMain's class name, the child's system property), cluster, core, wire, config
 *   cluster  ──► core, wire, config            (procactor-cluster implements it, found by ServiceLoader)
 *   child    ──► core, wire, config            (never node, never pool)
 *   core     ──► wire, config                  (never node, child, pool)
 *   wire, config ──► no internal package
 * </pre>
 */
package io.procactor.internal;
