/**
 * Internal: Netty pipeline stages, Kryo pooling and handshake state. Not API; may change in any
 * release.
 */
package io.procactor.transport.internal;
