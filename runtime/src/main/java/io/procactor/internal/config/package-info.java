/**
 * INTERNAL API. Runs in every JVM: settings read once. The node reads HOCON (ConfigLoader,
 * Settings.from); a child gets the node's effective settings as text in its bootstrap. Depends on
 * no other internal package.
 */
package io.procactor.internal.config;
