package io.procactor.samples.pipeline;

import io.procactor.Actor;

/** A pool worker of the pipeline: squares an item's number and replies (to the collector, the item's sender). */
public final class Worker extends Actor {
    @Override
    protected void onReceive(Object message) {
        if (message instanceof Item item) {
            reply(new Processed(item.seq(), item.seq() * item.seq(), context().processName()));
        } else {
            unhandled(message);
        }
    }
}
