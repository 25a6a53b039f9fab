package io.procactor.internal.core;

import io.procactor.Actor;
import io.procactor.internal.wire.Protocol;

/**
 * The worker of a function pool ({@code ActorSystem.pool(PoolOptions)}): applies each
 * {@link Protocol.Call}'s function and replies with the result. A function that throws answers
 * its caller with what it threw (a {@code RemoteActorException} there) and the worker goes on, as
 * a Python pool's worker does; so does a function this process refused (a {@code SecurityException}).
 *
 * <p>Threads: an actor; one message at a time on the dispatcher.
 */
public final class FunctionWorker extends Actor {
    @Override
    protected void onReceive(Object message) {
        if (!(message instanceof Protocol.Call call)) {
            unhandled(message);
            return;
        }
        Object result;
        try {
            result = FunctionCalls.invoke(call.fn(), call.args());
        } catch (Throwable t) {
            if (Failures.fatal(t)) {
                throw (VirtualMachineError) t;
            }
            reply(((ActorCell) context()).failure(t));
            return;
        }
        reply(result);
    }
}
