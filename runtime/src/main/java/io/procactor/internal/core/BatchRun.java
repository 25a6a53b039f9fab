package io.procactor.internal.core;

import io.procactor.ActorRef;
import io.procactor.internal.wire.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pool {@link Protocol.Batch} through an actor: each item is handled as a message whose
 * sender is the item's {@link BatchCollector} slot, so the actor's ordinary {@code reply} fills
 * it. A failing item fails its own slot and nothing else: the worker is not supervised for it and
 * goes on with the next item.
 *
 * <p>Not thread-safe: called by the thread that holds the cell's baton, as one message.
 */
final class BatchRun {
    private static final Logger log = LoggerFactory.getLogger(ActorCell.class); // the logger name users filter on, as before the split

    private BatchRun() {
    }

    static void run(ActorCell cell, ActorRef replyTo, Protocol.Batch batch) {
        long start = System.nanoTime();
        BatchCollector collector = new BatchCollector(batch.id(), batch.items().size(), replyTo, cell.ref());
        int i = 0;
        for (Object item : batch.items()) {
            BatchCollector.Slot slot = (BatchCollector.Slot) collector.slot(i++);
            try {
                cell.invoke(slot, item);
            } catch (Throwable t) {
                if (Failures.fatal(t)) {
                    throw (VirtualMachineError) t;
                }
                log.debug("Actor [{}] failed on a pool task; the submitter gets the failure", cell.path(), t);
                slot.fail(cell.failure(t));
            }
        }
        collector.sealed(System.nanoTime() - start, cell.queued());
    }
}
