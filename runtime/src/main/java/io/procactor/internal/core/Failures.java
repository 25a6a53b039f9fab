package io.procactor.internal.core;

import io.procactor.ActorCreationException;
import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus;
import io.procactor.MailboxOverflowException;
import io.procactor.MessageSerializationException;
import io.procactor.RemoteActorException;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;

/**
 * The wording of the failures an ask, a pool task or a send ends with, in one place so that the
 * same cause reads the same wherever it is detected: {@code Ask to [target] failed (message type
 * [type]): why}. Stateless; thread-safe.
 */
public final class Failures {
    private Failures() {
    }

    /**
     * Whether user code's {@code t} is the JVM's trouble rather than the code's failure: a
     * {@link VirtualMachineError} (out of memory, an internal error) goes up to the thread; a
     * {@link StackOverflowError} does not, as in Pekko: the stack has unwound when it is caught, and
     * it is the code's failure (too deep a recursion) like any exception, which its asker, its
     * submitter or its supervisor must hear of.
     */
    public static boolean fatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }

    /** The class name of {@code message} for error texts and logs, or {@code "null"}. */
    public static String typeName(Object message) {
        return message == null ? "null" : message.getClass().getName();
    }

    /** What an actor in another process threw, sent back as data (a {@code Protocol.Failure}'s components). */
    public static RemoteActorException remote(String className, String message, String stackTrace, String actorPath) {
        return new RemoteActorException(actorPath, className, message, stackTrace);
    }

    /**
     * The actor an ask went to could not be created: its constructor or preStart threw. The cause
     * is the remote exception, with its class, message and stack trace.
     */
    public static ActorCreationException startFailed(Protocol.Failure f) {
        return new ActorCreationException("actor [" + f.actorPath() + "] could not be created: its constructor or preStart threw "
                + f.className() + (f.message() == null ? "" : ": " + f.message()),
                remote(f.className(), f.message(), f.stackTrace(), f.actorPath()));
    }

    /** The one template: {@code Ask to [targetPath] failed (message type [messageType]): why}. */
    public static String askFailed(String targetPath, String messageType, String why) {
        return "Ask to [" + targetPath + "] failed (message type [" + messageType + "]): " + why;
    }

    /** An ask (or a pool task) whose target's process exited while it waited. */
    public static ActorTerminatedException processExited(String targetPath, String targetProcess, String messageType,
                                                         ExitStatus status) {
        ActorTerminatedException e = new ActorTerminatedException(askFailed(targetPath, messageType, "its process ["
                + targetProcess + "] exited: " + status), status);
        status.nodeLost().ifPresent(e::initCause); // its host was lost: NodeLostException names it
        return e;
    }

    /**
     * An ask that ended without a reply for {@code why}: the target does not exist (any more), or
     * the system closed.
     */
    public static ActorTerminatedException askEnded(String targetPath, String messageType, String why) {
        return new ActorTerminatedException(askFailed(targetPath, messageType, why), null);
    }

    /** An ask refused by a full mailbox. */
    public static MailboxOverflowException mailboxFull(String targetPath, String messageType, int capacity) {
        return new MailboxOverflowException(askFailed(targetPath, messageType, "its mailbox was full (" + capacity
                + " messages; procactor.mailbox.overflow)"));
    }

    /** A message that waited for its target's process and could not be sent, for a reason other than its encoding. */
    public static ActorTerminatedException notSent(String messageType, String targetPath, String cause) {
        return new ActorTerminatedException("Message of type [" + messageType + "] to [" + targetPath + "] was not sent: "
                + cause, null);
    }

    /** A message that cannot be encoded; names the registration that fixes it when a class is missing. */
    public static MessageSerializationException serialization(SerializationException e) {
        String hint;
        if (e.getMessage().contains("max-frame-size") || e.className() == null) {
            hint = "";
        } else if (e.className().contains("$$Lambda") || e.className().contains("/0x")) {
            hint = ". It is a lambda: lambdas cannot be sent to another process (their class exists only in this JVM) unless "
                    + "they are serializable functions: declare it as one of io.procactor.Task's types (Task.Fn, Task.Job2, ...), "
                    + "written in a registered class, or send a record or a class of your own, registered for serialization, instead";
        } else {
            hint = ". Register it with ActorSystem.builder(name).register(" + simpleName(e.className()) + ".class), or in config: "
                    + "procactor.serialization.classes = [\"" + e.className() + "\"]; the node gives it an id and tells every "
                    + "process (for a wire format fixed across releases, give an id of " + Registrations.FIRST_APPLICATION_ID
                    + " or more yourself: register(" + simpleName(e.className()) + ".class, ID))";
        }
        return new MessageSerializationException(e.getMessage() + hint, e);
    }

    private static String simpleName(String className) {
        int dot = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return className.substring(dot + 1);
    }
}
