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
                    answerTheRestIfPossible(cell, collector, i - 1, batch.items().size(), t, start);
                    throw (VirtualMachineError) t;
                }
                log.debug("Actor [{}] failed on a pool task; the submitter gets the failure", cell.path(), t);
                slot.fail(cell.failure(t));
            }
        }
        collector.sealed(System.nanoTime() - start, cell.queued());
    }

    /**
     * The JVM's own error on item {@code from}: it and the items after it fail with it and the batch
     * is answered, best effort (the JVM may not manage), so that its submitter is not left waiting.
     */
    private static void answerTheRestIfPossible(ActorCell cell, BatchCollector collector, int from, int size, Throwable t,
                                                long start) {
        try {
            Protocol.Failure failure = cell.failure(t);
            for (int j = from; j < size; j++) {
                ((BatchCollector.Slot) collector.slot(j)).fail(failure);
            }
            collector.sealed(System.nanoTime() - start, cell.queued());
        } catch (Throwable again) {
            t.addSuppressed(again);
        }
    }
}
