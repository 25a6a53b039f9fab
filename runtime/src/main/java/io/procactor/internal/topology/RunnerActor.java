package io.procactor.internal.topology;

import io.procactor.Actor;
import java.util.function.Consumer;

/**
 * The topology runner's actor in the node ({@code ref:topology}): hands every message to the
 * runner, and tells it when it stops (the system closes, e.g. on Ctrl-C). Public only because
 * actors must be; not API.
 */
public final class RunnerActor extends Actor {
    /** Stops this actor (node-local: never crosses a process boundary). */
    static final Object STOP = new Object() {
        @Override
        public String toString() {
            return "RunnerActor.STOP";
        }
    };

    private final Consumer<Object> received;
    private final Runnable stopped;

    public RunnerActor(Consumer<Object> received, Runnable stopped) {
        this.received = received;
        this.stopped = stopped;
    }

    @Override
    protected void onReceive(Object message) {
        if (message == STOP) {
            context().stop();
        } else {
            received.accept(message);
        }
    }

    @Override
    protected void preRestart(Throwable reason, Object message) {
        // restarted, not stopped: the runner goes on
    }

    @Override
    protected void postStop() {
        stopped.run();
    }
}
