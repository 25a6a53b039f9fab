package io.procactor;

/**
 * What an actor knows about itself and its process. Use it only from the actor's own thread
 * (inside {@code onReceive}, {@code preStart}, {@code postStop}); not thread-safe.
 */
public interface ActorContext {
    ActorRef self();

    /** The sender of the message being handled, or null when there is none. */
    ActorRef sender();

    /** Stops this actor after the current message; {@code postStop} runs next. A child process whose last actor stops exits normally. */
    void stop();

    /** Starts another actor in this same process, supervised by this one ({@link Actor#supervisorStrategy()}). */
    ActorRef actorOf(Props props, String name);

    /**
     * Death watch: this actor receives {@link Terminated} exactly once when {@code target} is gone
     * (stopped, failed to start, or its process exited, however). Watching an actor that is already
     * gone delivers it at once.
     */
    void watch(ActorRef target);

    /** Stops watching; a Terminated not yet delivered may still arrive. */
    void unwatch(ActorRef target);

    /**
     * Sends {@code message} to this actor after {@code delay} (a timer). Cancel with the returned
     * future's {@code cancel}.
     */
    java.util.concurrent.Future<?> scheduleOnce(java.time.Duration delay, Object message);

    /** The name of the system this actor belongs to. */
    String systemName();

    /** The name of the process hosting this actor (Python's {@code current_process().name}). */
    String processName();

    /** This process's OS pid (Python's {@code os.getpid()}). */
    long pid();

    /** The pid of the node that started this process (Python's {@code parent_process().pid}); this process's own pid on the node. */
    long parentPid();
}
