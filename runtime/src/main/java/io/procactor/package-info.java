/**
 * procactor's public API: actors that live in separate OS processes.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>node</dt><dd>the JVM that created the {@link io.procactor.ActorSystem}; it starts and
 *   watches child JVMs and relays what children cannot yet send each other directly.</dd>
 *   <dt>child process</dt><dd>a JVM started by the node that hosts actors; its handle is an
 *   {@link io.procactor.ActorProcess}.</dd>
 *   <dt>actor</dt><dd>a subclass of {@link io.procactor.Actor}; it handles one message at a time.</dd>
 *   <dt>ref</dt><dd>an {@link io.procactor.ActorRef}: the address of an actor, valid in every
 *   process of the node, sendable inside messages.</dd>
 * </dl>
 *
 * <h2>Common mistakes</h2>
 * <ul>
 *   <li>Sending a class that is not registered: register it with
 *   {@link io.procactor.ActorSystem.Builder#register} or under
 *   {@code procactor.serialization.registrations}; the error names the class.</li>
 *   <li>An actor class that is not public, or a nested class that is not static:
 *   {@link io.procactor.Props#create} says what to change.</li>
 *   <li>Blocking on {@code ask(...).get()} inside an actor: compose the future instead, or
 *   the actor stops handling messages until it completes.</li>
 * </ul>
 *
 * <p>Everything under {@code io.procactor.internal} is implementation and may change.
 */
package io.procactor;
