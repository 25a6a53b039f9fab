package io.procactor;

import io.procactor.internal.ActorCell;

/**
 * Base class of actors. The runtime creates instances from {@link Props} (never call the
 * constructor yourself) and hands them one message at a time.
 *
 * <pre>{@code
 * public final class Doubler extends Actor {
 *     @Override protected void onReceive(Object msg) {
 *         if (msg instanceof Integer n) reply(n * 2);
 *         else unhandled(msg);
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: every method runs on one thread at a time (not always the same thread); fields
 * need no synchronization. Do not share the instance with other threads.
 */
public abstract class Actor {
    private final ActorCell cell;

    protected Actor() {
        this.cell = ActorCell.attach(this, new ActorCell.Behavior() {
            @Override
            public void receive(Object message) throws Exception {
                onReceive(message);
            }

            @Override
            public void preStart() throws Exception {
                Actor.this.preStart();
            }

            @Override
            public void postStop() throws Exception {
                Actor.this.postStop();
            }
        });
    }

    /** Handles one message. An exception fails an ask with {@link RemoteActorException}; the actor goes on. */
    protected abstract void onReceive(Object message) throws Exception;

    /** Runs once before the first message. An exception stops the actor (startup failure). */
    protected void preStart() throws Exception {
    }

    /** Runs once after the actor stopped, also when its process is terminated. */
    protected void postStop() throws Exception {
    }

    protected final ActorContext context() {
        return cell;
    }

    protected final ActorRef self() {
        return cell.self();
    }

    /** The sender of the current message, or null. */
    protected final ActorRef sender() {
        return cell.sender();
    }

    /** Sends {@code message} to the sender of the current message (completing its ask, if it asked). */
    protected final void reply(Object message) {
        cell.reply(message);
    }

    /** Call for messages this actor does not handle: logged, and an asker gets a clear failure at once. */
    protected void unhandled(Object message) {
        cell.unhandled(message);
    }
}
