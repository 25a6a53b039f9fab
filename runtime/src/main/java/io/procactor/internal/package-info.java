/**
 * Internal: actor cells, the ask table, process links, the node and child runtimes. Not API; may
 * change in any release.
 */
package io.procactor.internal;
