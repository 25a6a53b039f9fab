package io.procactor.samples.pipeline;

import io.procactor.Actor;
import io.procactor.ActorRef;

/**
 * The head of the pipeline: on its start message (any string) it sends {@code count} items to
 * the workers' pool, with the collector as their sender so each worker replies to the collector
 * directly, then tells the collector how many items it produced.
 */
public final class Producer extends Actor {
    private final ActorRef workers;
    private final ActorRef collector;
    private final long count;
    private boolean produced;

    public Producer(ActorRef workers, ActorRef collector, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be 1 or more, was [" + count + "]");
        }
        this.workers = workers;
        this.collector = collector;
        this.count = count;
    }

    @Override
    protected void onReceive(Object message) {
        if (message instanceof String && !produced) {
            produced = true;
            for (long i = 1; i <= count; i++) {
                workers.tell(new Item(i), collector);
            }
            collector.tell(new Produced(count), self());
        } else {
            unhandled(message);
        }
    }
}
