/**
 * INTERNAL API. Runs in every procactor JVM, node or child: one JVM's actor machinery (cells,
 * mailboxes, supervision, death watch, the ask table, refs, associations to other processes, dead
 * letters). Depends on wire and config only; knows nothing of how processes are launched.
 */
package io.procactor.internal.core;
