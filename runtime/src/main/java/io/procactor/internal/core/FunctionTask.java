package io.procactor.internal.core;

import io.procactor.Actor;
import io.procactor.MessageSerializationException;
import io.procactor.internal.wire.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one actor of a function process ({@code ActorSystem.run(fn, args...)}): applies the
 * {@link Protocol.Call} the node sends once the process starts, replies with the result and stops,
 * so the process exits with code 0. If the function throws (or its result cannot be sent back),
 * the caller gets that failure and the process exits with {@code ExitStatus.TASK_FAILED_CODE},
 * the exception in the exit status's detail, as Python's {@code Process} exits with 1.
 *
 * <p>Threads: an actor; one message at a time on the dispatcher.
 */
public final class FunctionTask extends Actor {
    private static final Logger log = LoggerFactory.getLogger(FunctionTask.class);

    @Override
    protected void onReceive(Object message) {
        if (!(message instanceof Protocol.Call call)) {
            unhandled(message);
            return;
        }
        ActorCell cell = (ActorCell) context();
        try {
            reply(FunctionCalls.invoke(call.fn(), call.args()));
        } catch (Throwable t) {
            if (Failures.fatal(t)) {
                throw (VirtualMachineError) t;
            }
            failed(cell, t, t instanceof MessageSerializationException ? "its result cannot be sent" : "it threw");
            return;
        }
        context().stop();
    }

    private void failed(ActorCell cell, Throwable t, String what) {
        // as Python prints the traceback of a target that raised: whoever only looks at the exit code sees why
        log.error("The function of process [{}] failed, {}; the process exits with code {}", cell.core().processName(), what,
                io.procactor.ExitStatus.TASK_FAILED_CODE, t);
        try {
            reply(cell.failure(t));
        } finally {
            cell.core().taskFailed((RefImpl) cell.self(), "function of process [" + cell.core().processName() + "] failed, " + what + ": " + t);
        }
    }
}
