/**
 * INTERNAL API. Runs in the node only: the actors that host the objects of
 * {@code ActorSystem.queue/pipe/event/map}, one actor per object. Every process reaches an object
 * through its handle (a small serializable class in {@code io.procactor} holding the host's ref);
 * each operation is an ask to the host, which answers at once, or keeps the ask waiting and
 * answers itself when the wait runs out. Depends on core, wire and config.
 */
package io.procactor.internal.channels;
