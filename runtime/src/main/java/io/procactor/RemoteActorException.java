package io.procactor;

/**
 * The actor threw while handling the message. The remote exception travels as data (its class
 * name, message and stack trace text), never as a serialized {@code Throwable}.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class RemoteActorException extends ActorException {
    private final String remoteClassName;
    private final String remoteMessage;
    private final String remoteStackTrace;
    private final String actorPath;

    public RemoteActorException(String actorPath, String remoteClassName, String remoteMessage, String remoteStackTrace) {
        super("Actor [" + actorPath + "] failed: " + remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.actorPath = actorPath;
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** Fully qualified class name of the exception the actor threw. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** Its message; may be null. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** Its stack trace, as {@code printStackTrace} would print it in the actor's process. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    public String actorPath() {
        return actorPath;
    }
}
