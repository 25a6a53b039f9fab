package io.procactor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The address of an actor, valid in every process of the node: send it inside a message and the
 * receiver can talk to the actor directly. Equal refs name the same actor.
 *
 * <p>Thread-safe: {@code tell} and {@code ask} may be called from any thread. Messages from one
 * sender to one actor arrive in the order sent; delivery is at most once.
 */
public interface ActorRef {
    /** {@code procactor://system/process/actor}. */
    String path();

    /** The actor's name, unique within its process. */
    String name();

    /** The name of the process that hosts the actor. */
    String processName();

    /**
     * Sends without waiting, with no sender (replies go to dead letters).
     *
     * @throws MessageSerializationException if the message cannot cross a process boundary
     */
    void tell(Object message);

    /** Sends without waiting; {@code sender} receives replies (null for none). */
    void tell(Object message, ActorRef sender);

    /**
     * Sends and returns the reply as a future. It completes with the reply; with an
     * {@link AskTimeoutException} after {@code timeout}; with a {@link RemoteActorException} if the
     * actor threw; or at once with an {@link ActorTerminatedException} if the actor or its process
     * is gone. Callbacks run on the runtime's executor, never on an I/O thread.
     *
     * @param <T> the reply type the caller expects
     */
    <T> CompletableFuture<T> ask(Object message, Duration timeout);

    /**
     * {@link #ask(Object, Duration)} with the reply's type checked, so callers need no cast:
     * {@code int four = ref.ask(2, Integer.class, timeout).get()}. A primitive type stands for its
     * wrapper; a null reply passes. A reply of another type fails the future with a
     * {@link ReplyTypeException} naming the expected and the actual type.
     *
     * @param <T> the reply type
     */
    default <T> CompletableFuture<T> ask(Object message, Class<T> replyType, Duration timeout) {
        java.util.Objects.requireNonNull(replyType, "replyType");
        Class<?> expected = io.procactor.internal.core.Primitives.box(replyType);
        CompletableFuture<T> typed = new CompletableFuture<>();
        this.<Object>ask(message, timeout).whenComplete((reply, error) -> {
            if (error != null) {
                typed.completeExceptionally(error);
            } else if (reply == null || expected.isInstance(reply)) {
                @SuppressWarnings("unchecked")
                T t = (T) reply;
                typed.complete(t);
            } else {
                typed.completeExceptionally(new ReplyTypeException("Ask to [" + path() + "] (message type ["
                        + (message == null ? "null" : message.getClass().getName()) + "]) expected a reply of type ["
                        + replyType.getName() + "] but got one of type [" + reply.getClass().getName() + "]",
                        replyType.getName(), reply.getClass().getName()));
            }
        });
        return typed;
    }
}
