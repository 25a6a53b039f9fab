package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gathers the replies to the items of one {@link Protocol.Batch}: each item is handled with its
 * own slot as sender, so an actor's ordinary {@code reply(...)} fills the slot, now or later from
 * another thread. When every slot is filled and the batch loop has ended, one
 * {@link Protocol.BatchResult} goes back. Thread-safe.
 */
public final class BatchCollector {
    private final long id;
    private final Object[] results;
    private final boolean[] filled;
    private final AtomicInteger remaining;
    private final ActorRef replyTo;
    private final ActorRef self;
    private volatile long serviceNanos;
    private volatile int queueDepth;

    BatchCollector(long id, int size, ActorRef replyTo, ActorRef self) {
        this.id = id;
        this.results = new Object[size];
        this.filled = new boolean[size];
        this.remaining = new AtomicInteger(size + 1); // +1: the batch loop itself
        this.replyTo = replyTo;
        this.self = self;
    }

    ActorRef slot(int index) {
        return new Slot(index);
    }

    /** The first value for a slot wins; later ones are ignored. */
    void fill(int index, Object value) {
        synchronized (this) {
            if (filled[index]) {
                return;
            }
            filled[index] = true;
            results[index] = value;
        }
        countDown();
    }

    /** The batch loop ended after {@code nanos}; the mailbox then held {@code depth} messages. */
    void sealed(long nanos, int depth) {
        serviceNanos = nanos;
        queueDepth = depth;
        countDown();
    }

    private void countDown() {
        if (remaining.decrementAndGet() == 0 && replyTo != null) {
            ArrayList<Object> list;
            synchronized (this) {
                list = new ArrayList<>(Arrays.asList(results));
            }
            replyTo.tell(new Protocol.BatchResult(id, list, serviceNanos, queueDepth), self);
        }
    }

    /** The sender an actor sees while it handles one item of a batch. */
    final class Slot implements ActorRef {
        private final int index;

        Slot(int index) {
            this.index = index;
        }

        void fail(Protocol.Failure failure) {
            fill(index, failure);
        }

        @Override
        public String path() {
            return replyTo == null ? "(pool task)" : replyTo.path() + "#task-" + index;
        }

        @Override
        public String name() {
            return "task-" + index;
        }

        @Override
        public String processName() {
            return replyTo == null ? "" : replyTo.processName();
        }

        @Override
        public void tell(Object message) {
            fill(index, message);
        }

        @Override
        public void tell(Object message, ActorRef sender) {
            fill(index, message);
        }

        @Override
        public <T> CompletableFuture<T> ask(Object message, Duration timeout) {
            throw new UnsupportedOperationException("the sender of a pool task takes only its reply; use reply(...)");
        }
    }
}
