package io.procactor.samples.queue;

import io.procactor.Actor;
import io.procactor.ActorRef;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Python's {@code multiprocessing.Queue} as an actor: any process may {@link Put} into it (a tell)
 * or {@link Get} from it (an ask, answered with the oldest item, or as soon as one arrives when it
 * is empty, like the blocking {@code q.get()}). Its ref works in every process, so it is the queue.
 */
public final class QueueActor extends Actor {
    /**
     * {@code q.put(item)}; the item must be registered for serialization if it crosses processes.
     * A put with a sender is acknowledged with {@link Stored}.
     */
    public record Put(Object item) {
    }

    /** The reply to a {@link Put} that has a sender: the item is in the queue. */
    public record Stored() {
    }

    /** {@code q.get()}: ask it; the reply is the item. */
    public record Get() {
    }

    private final Queue<Object> items = new ArrayDeque<>();
    private final Queue<ActorRef> waiting = new ArrayDeque<>();

    @Override
    protected void onReceive(Object message) {
        if (message instanceof Put put) {
            if (sender() != null) {
                reply(new Stored());
            }
            ActorRef getter = waiting.poll();
            if (getter != null) {
                getter.tell(put.item(), self()); // someone was already waiting: hand it over
            } else {
                items.add(put.item());
            }
        } else if (message instanceof Get) {
            Object item = items.poll();
            if (item != null) {
                reply(item);
            } else {
                waiting.add(sender()); // answered by a later Put; the asker's own timeout still applies
            }
        } else {
            unhandled(message);
        }
    }
}
