package io.procactor.internal.core;

import io.procactor.ActorRef;

/**
 * Lets code outside this package (the local ends of pipes and queues) receive messages in this
 * process under a name, without an actor: see {@link ProcessCore#registerReceiver}.
 *
 * <p>Threads: call from any thread; a receiver is called on I/O or sender threads and must not block.
 */
public final class Receivers {
    private Receivers() {
    }

    /** Registers {@code receiver} as {@code name} in the process of {@code anyRef} (a ref this process made or decoded). */
    public static ActorRef register(ActorRef anyRef, String name, ProcessCore.Receiver receiver) {
        return ((RefImpl) anyRef).core().registerReceiver(name, receiver);
    }

    /** Removes the receiver {@code name} of the process of {@code anyRef}. */
    public static void unregister(ActorRef anyRef, String name) {
        ((RefImpl) anyRef).core().unregisterReceiver(name);
    }

    /** Runs {@code flush} before the process of {@code anyRef} tells its node it exits (see {@link ProcessCore#addExitFlush}). */
    public static void onExit(ActorRef anyRef, Runnable flush) {
        ((RefImpl) anyRef).core().addExitFlush(flush);
    }

    /** The current registration table of the process of {@code anyRef}, for items that cross through shared memory. */
    public static io.procactor.transport.Registrations registrations(ActorRef anyRef) {
        return ((RefImpl) anyRef).core().registrations();
    }

    /** The name of the process this code runs in, as seen from {@code anyRef}. */
    public static String processName(ActorRef anyRef) {
        return ((RefImpl) anyRef).core().processName();
    }
}
