package io.procactor.internal.channels;

import io.procactor.ExitStatus;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.ChannelMessages.QueuePut;
import io.procactor.internal.wire.ChannelMessages.QueueTake;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hosts a bounded FIFO queue ({@code ActorSystem.queue}). Items leave it only inside the answer to
 * a take that is still waiting: the host ends every wait itself (its timer) and a handle's ask
 * waits a grace period longer, so no item goes to an ask that already gave up. A put is all or
 * nothing: its items go in together once there is room for all of them, waiting puts in arrival
 * order. Closing refuses further puts at once; takes drain what is left, then are refused.
 *
 * <p>Threading: an actor; one message at a time.
 */
public final class QueueHost extends HostActor {
    private final int capacity;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final Waiting<QueueTake> takers = new Waiting<>();
    private final Waiting<QueuePut> putters = new Waiting<>();
    private boolean closed;

    public QueueHost(String name, int capacity, long system) {
        super("queue [" + name + "]", system);
        this.capacity = capacity;
    }

    @Override
    protected void handle(ChannelMessages.Op op) {
        if (op instanceof QueuePut put) {
            put(put);
        } else if (op instanceof QueueTake take) {
            take(take);
        } else if (op instanceof ChannelMessages.Control c && c.op() == ChannelMessages.SIZE) {
            reply(items.size());
        } else if (op instanceof ChannelMessages.Control c && c.op() == ChannelMessages.CLOSE) {
            close();
            reply(Boolean.TRUE);
        } else {
            unhandled(op);
        }
    }

    private void put(QueuePut put) {
        if (closed) {
            refuse(ChannelMessages.CLOSED, what + " is closed: nothing more can be put into it");
            return;
        }
        if (put.items().size() > capacity) {
            refuse(ChannelMessages.MISUSE, what + " holds at most " + capacity + " items, so a put of " + put.items().size()
                    + " can never fit; put fewer at a time or create the queue with a larger capacity");
            return;
        }
        for (Object item : put.items()) {
            if (!encodable(item)) {
                return;
            }
        }
        if (putters.isEmpty() && fits(put)) {
            items.addAll(put.items());
            reply(Boolean.TRUE);
            serve();
        } else if (put.waitNanos() <= 0) {
            refuse(ChannelMessages.TIMEOUT, what + " is full (" + items.size() + " of " + capacity + " items)");
        } else {
            long id = nextId();
            putters.add(new Waiting.Entry<>(id, sender(), askerProcess(), put, timer(id, put.waitNanos())));
        }
    }

    private void take(QueueTake take) {
        if (!items.isEmpty()) {
            reply(new ChannelMessages.Items(drain(take.max())));
            serve();
        } else if (closed) {
            refuse(ChannelMessages.CLOSED, what + " is closed and empty: nothing more will come");
        } else if (take.waitNanos() <= 0) {
            refuse(ChannelMessages.TIMEOUT, what + " is empty");
        } else {
            long id = nextId();
            takers.add(new Waiting.Entry<>(id, sender(), askerProcess(), take, timer(id, take.waitNanos())));
        }
    }

    /** Hands items to waiting takes and lets waiting puts in, until neither can proceed. */
    private void serve() {
        boolean progress = true;
        while (progress) {
            progress = false;
            while (!items.isEmpty() && !takers.isEmpty()) {
                Waiting.Entry<QueueTake> t = takers.poll();
                t.replyTo().tell(new ChannelMessages.Items(drain(t.request().max())), self());
                progress = true;
            }
            while (!putters.isEmpty() && fits(putters.peek().request())) {
                Waiting.Entry<QueuePut> p = putters.poll();
                items.addAll(p.request().items());
                p.replyTo().tell(Boolean.TRUE, self());
                progress = true;
            }
        }
        if (closed && items.isEmpty()) {
            takers.removeAll().forEach(t -> refuse(t.replyTo(), ChannelMessages.CLOSED,
                    what + " is closed and empty: nothing more will come"));
        }
    }

    private void close() {
        closed = true;
        putters.removeAll().forEach(p -> refuse(p.replyTo(), ChannelMessages.CLOSED,
                what + " was closed while this put waited for room: its items were not put"));
        serve();
    }

    private boolean fits(QueuePut put) {
        return items.size() + put.items().size() <= capacity;
    }

    private List<Object> drain(int max) {
        int n = Math.min(Math.max(1, max), items.size());
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(items.poll());
        }
        return out;
    }

    @Override
    protected void expired(long id) {
        Waiting.Entry<QueueTake> t = takers.remove(id);
        if (t != null) {
            refuse(t.replyTo(), ChannelMessages.TIMEOUT, what + " stayed empty for " + millis(t.request().waitNanos()));
            return;
        }
        Waiting.Entry<QueuePut> p = putters.remove(id);
        if (p != null) {
            refuse(p.replyTo(), ChannelMessages.TIMEOUT, what + " stayed full (" + items.size() + " of " + capacity
                    + " items) for " + millis(p.request().waitNanos()));
            serve(); // a big put that gave up may have held back smaller ones behind it
        }
    }

    @Override
    protected void refuseWaiting(ChannelMessages.Refused refusal) {
        takers.removeAll().forEach(t -> t.replyTo().tell(refusal, self()));
        putters.removeAll().forEach(p -> p.replyTo().tell(refusal, self()));
    }

    @Override
    protected void processExited(String process, ExitStatus status) {
        takers.removeProcess(process);
        putters.removeProcess(process);
        serve();
    }
}
