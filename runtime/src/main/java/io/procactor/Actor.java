package io.procactor;

import io.procactor.internal.core.ActorCell;

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
        // the runtime reaches this instance's protected methods through ApiBridge, package-private
        this.cell = ApiBridge.attach(this);
    }

    ActorCell cell() {
        return cell;
    }

    /**
     * Handles one message. If it throws, an asker gets a {@link RemoteActorException}, and the
     * supervisor decides what happens to the actor ({@link SupervisorStrategy}; by default it is
     * restarted).
     */
    protected abstract void onReceive(Object message) throws Exception;

    /** Runs once before the first message. An exception stops the actor (startup failure). */
    protected void preStart() throws Exception {
    }

    /** Runs once after the actor stopped, also when its process is terminated. */
    protected void postStop() throws Exception {
    }

    /**
     * Runs on the failed instance before it is replaced; {@code message} is the one that failed
     * (null if none). Default: {@link #postStop()}.
     */
    protected void preRestart(Throwable reason, Object message) throws Exception {
        postStop();
    }

    /** Runs on the new instance after a restart, instead of {@link #preStart()}. Default: {@link #preStart()}. */
    protected void postRestart(Throwable reason) throws Exception {
        preStart();
    }

    /**
     * How this actor supervises the children it creates with {@link ActorContext#actorOf}.
     * Default: {@link SupervisorStrategy#defaultStrategy()}.
     *
     * <p>Called once per instance, on the actor's own thread, after its constructor and before
     * {@link #preStart()} (or {@link #postRestart}); the strategy returned then decides every
     * failure of its children until a restart replaces the instance. A child's failure is handled
     * on the child's thread, which therefore never calls into this actor. If it throws, the
     * exception is logged and the default strategy applies; a JVM error (other than a stack
     * overflow) fails the instance's creation, as one from its constructor would.
     */
    protected SupervisorStrategy supervisorStrategy() {
        return SupervisorStrategy.defaultStrategy();
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
