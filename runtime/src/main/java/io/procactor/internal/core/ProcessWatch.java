package io.procactor.internal.core;

import io.procactor.ActorRef;

/**
 * Death watch of a whole process rather than of one of its actors: {@link #of} names a pseudo
 * actor ({@value #NAME}, a name no actor can take) that lives exactly as long as its process, so
 * {@code context().watch(ProcessWatch.of(self(), "worker-1"))} delivers {@code Terminated} once,
 * when that process exits (however: stop, crash, SIGKILL). The node-hosted objects use it to learn
 * that a process holding a pipe end or waiting on a queue is gone. Only the process itself knows it
 * is alive: its runtime keeps quiet on such a watch ({@link DeathWatch#handle}) and the watcher's
 * runtime ends it when the process is reported down.
 *
 * <p>Threads: stateless; call from any thread.
 */
public final class ProcessWatch {
    /** The pseudo actor's name; '$' is not allowed in actor names ({@link Names}). */
    public static final String NAME = "$process";

    private ProcessWatch() {
    }

    /** The process {@code process} as a watchable ref, bound to the process of {@code local} (a ref of this JVM). */
    public static ActorRef of(ActorRef local, String process) {
        return ((RefImpl) local).core().ref(process, NAME);
    }

    /** Whether {@code ref} names a whole process (see {@link #of}). */
    static boolean isProcess(ActorRef ref) {
        return NAME.equals(ref.name());
    }

    /**
     * Checks that {@code message} could be sent to another process (its class is registered), so
     * that an object hosted here refuses what a child could never receive.
     *
     * @throws io.procactor.MessageSerializationException naming the class when it is not registered
     */
    public static void requireEncodable(ActorRef local, Object message) {
        ((RefImpl) local).core().requireEncodable(message);
    }
}
