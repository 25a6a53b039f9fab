package io.procactor.samples.pipeline;

import io.procactor.Actor;
import java.time.Duration;

/**
 * A pool worker of the pool-map job: squares its input after {@code work} of simulated work.
 * Sleeping is fine here: the worker's JVM hosts nothing else.
 */
public final class Square extends Actor {
    private final long millis;

    public Square(Duration work) {
        if (work.isNegative()) {
            throw new IllegalArgumentException("work must be 0 or more, was [" + work + "]");
        }
        this.millis = work.toMillis();
    }

    @Override
    protected void onReceive(Object message) throws InterruptedException {
        if (message instanceof MapTask t) {
            if (millis > 0) {
                Thread.sleep(millis);
            }
            reply(new MapResult(t.index(), t.value() * t.value(), context().processName()));
        } else {
            unhandled(message);
        }
    }
}
