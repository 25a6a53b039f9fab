package io.procactor.internal.channels;

import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.ChannelMessages.QueuePut;
import io.procactor.internal.wire.ChannelMessages.QueueTake;
import io.procactor.internal.wire.Protocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts a bounded FIFO queue ({@code ActorSystem.queue}). Items leave it only inside the answer to
 * a take that is still waiting: the host ends every wait itself (its timer) and a handle's ask
 * waits a grace period longer, so no item goes to an ask that already gave up. A put is all or
 * nothing: its items go in together once there is room for all of them, waiting puts in arrival
 * order. Closing refuses further puts at once; takes drain what is left, then are refused.
 *
 * <p>A take gets a batch (up to what it asks for, a fair part when other takes wait) that its
 * process keeps as a local lease and hands out one by one ({@code QueueLocal}); the host remembers
 * each process's leased items until the process acknowledges them as consumed (a tell per local
 * take), and puts the unacknowledged ones back at the head of the queue when the process exits, so
 * an item is lost neither when a consumer dies with a full lease nor when it dies having consumed
 * it: then it is delivered again. Leased items are out of the queue: they do not count toward
 * its size or capacity.
 *
 * <p>When the queue has a ring in shared memory, items do not pass through this host, except
 * those too big for the ring ({@code Spill}); it frees those of a dead producer that no ring
 * record names after a grace (see {@code HostActor} and {@code Spills}), looking at the ring under
 * the consumers' lock.
 *
 * <p>Threading: an actor; one message at a time.
 */
public final class QueueHost extends HostActor {
    private final int capacity;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final Waiting<QueueTake> takers = new Waiting<>();
    private final Waiting<QueuePut> putters = new Waiting<>();
    private boolean closed;
    /** Per consumer process (not the node): the items handed to its takes that it has not acknowledged, oldest first. */
    private final Map<String, ArrayDeque<Object>> leases = new HashMap<>();
    /** Producer processes (the node too), in the order they joined. */
    private final Map<String, Producer> producers = new java.util.LinkedHashMap<>();

    /** The queue's ring in shared memory, set once the node made it; empty when the queue has none. */
    private final java.util.concurrent.atomic.AtomicReference<QueueRing> ring;

    public QueueHost(String name, int capacity, long system) {
        this(name, capacity, system, new java.util.concurrent.atomic.AtomicReference<>());
    }

    /** A queue whose items go through {@code ring} once it is set (the node creates the ring after this host). */
    public QueueHost(String name, int capacity, long system, java.util.concurrent.atomic.AtomicReference<QueueRing> ring) {
        super("queue [" + name + "]", system);
        this.capacity = capacity;
        this.ring = ring;
    }

    @Override
    protected boolean spillIdsInRing(java.util.function.LongConsumer ids) {
        QueueRing r = ring.get();
        return r != null && r.spillIds(System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1), ids);
    }

    @Override
    protected void handle(ChannelMessages.Op op) {
        if (op instanceof QueuePut put) {
            put(put);
        } else if (op instanceof QueueTake take) {
            take(take);
        } else if (op instanceof ChannelMessages.QueueAck ack) {
            ack(ack);
        } else if (op instanceof ChannelMessages.QueueBatch b) {
            batch(b);
        } else if (op instanceof ChannelMessages.QueueJoin j) {
            join(j);
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
        Producer returning = producers.get(askerProcess());
        if (returning != null) {
            returning.credits = Math.max(0, returning.credits - put.returned());
        }
        if (closed) {
            refuse(ChannelMessages.CLOSED, closedForPuts());
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
            grant(); // asks producers for the room they hold unused
        }
    }

    private void take(QueueTake take) {
        if (!items.isEmpty()) {
            reply(new ChannelMessages.Items(lease(askerProcess(), take.max())));
            serve();
        } else if (closed && producersDone()) {
            refuse(ChannelMessages.CLOSED, what + " is closed and empty: nothing more will come");
        } else if (take.waitNanos() == 0) {
            refuse(ChannelMessages.TIMEOUT, what + " is empty");
        } else { // negative: a consumer's inbox that waits in its own process, without end
            long id = nextId();
            takers.add(new Waiting.Entry<>(id, sender(), askerProcess(), take,
                    take.waitNanos() < 0 ? null : timer(id, take.waitNanos())));
        }
    }

    /** Hands items to waiting takes and lets waiting puts in, until neither can proceed. */
    private void serve() {
        boolean progress = true;
        while (progress) {
            progress = false;
            while (!items.isEmpty() && !takers.isEmpty()) {
                Waiting.Entry<QueueTake> t = takers.poll();
                t.replyTo().tell(new ChannelMessages.Items(lease(t.process(), t.request().max())), self());
                progress = true;
            }
            while (!putters.isEmpty() && fits(putters.peek().request())) {
                Waiting.Entry<QueuePut> p = putters.poll();
                items.addAll(p.request().items());
                p.replyTo().tell(Boolean.TRUE, self());
                progress = true;
            }
        }
        grant();
        if (closed && items.isEmpty() && producersDone()) {
            takers.removeAll().forEach(t -> refuse(t.replyTo(), ChannelMessages.CLOSED,
                    what + " is closed and empty: nothing more will come"));
        }
    }

    private void close() {
        if (!closed) {
            ChannelMessages.Refused notice = new ChannelMessages.Refused(ChannelMessages.CLOSED, closedForPuts());
            producers.values().forEach(p -> {
                p.credits = 0;
                p.inbox.tell(notice, self());
            });
        }
        closed = true;
        putters.removeAll().forEach(p -> refuse(p.replyTo(), ChannelMessages.CLOSED,
                what + " was closed while this put waited for room: its items were not put"));
        serve();
    }

    private boolean fits(QueuePut put) {
        return items.size() + granted() + put.items().size() <= capacity;
    }

    /** A producer process: its inbox, the room granted to it and not used yet, and whether it sent its last batch. */
    private static final class Producer {
        final ActorRef inbox;
        int credits;
        boolean last;
        /** Room asked back and not answered yet. */
        int revoking;

        Producer(ActorRef inbox) {
            this.inbox = inbox;
        }
    }

    private void join(ChannelMessages.QueueJoin j) {
        if (closed) {
            refuse(ChannelMessages.CLOSED, closedForPuts());
            return;
        }
        producers.putIfAbsent(askerProcess(), new Producer(j.inbox()));
        reply(Boolean.TRUE);
        grant();
    }

    /** A producer's items, covered by the room granted to it (also when they arrive after a close: they were put before it). */
    private void batch(ChannelMessages.QueueBatch b) {
        Producer p = producers.get(askerProcess());
        if (p == null) {
            return; // its process was declared dead; nothing it sent can be trusted to be in order
        }
        p.credits = Math.max(0, p.credits - b.items().size() - Math.max(0, b.returned()));
        if (b.returned() >= 0) {
            p.revoking = 0;
        }
        items.addAll(b.items());
        p.last |= b.last();
        serve();
    }

    private int granted() {
        int n = 0;
        for (Producer p : producers.values()) {
            n += p.credits;
        }
        return n;
    }

    /**
     * Grants free room to producers, each up to an even share of the capacity, while no put that
     * asks waits for room (those go first). Called whenever room may have changed.
     */
    private void grant() {
        if (closed || producers.isEmpty()) {
            return;
        }
        int share = Math.max(1, capacity / producers.size());
        if (!putters.isEmpty()) { // room held by producers may be what that put needs
            producers.values().forEach(p -> revoke(p, p.credits));
            return;
        }
        int free = capacity - items.size() - granted();
        boolean starving = false;
        for (Producer p : producers.values()) {
            int g = Math.min(free, share - p.credits);
            if (g > 0 && (p.credits == 0 || g >= Math.max(1, share / 4))) { // a quarter share at a time, or any when it has none
                p.credits += g;
                free -= g;
                p.inbox.tell(new ChannelMessages.QueueGrant(g), self());
            }
            starving |= p.credits < share;
        }
        if (starving && free <= 0) { // a newcomer's share is held by others: ask them for what exceeds theirs
            producers.values().forEach(p -> revoke(p, p.credits - share));
        }
    }

    /** Asks {@code p} to give back up to {@code n} of its unused room, unless it was asked for that much already. */
    private void revoke(Producer p, int n) {
        if (n > p.revoking) {
            p.inbox.tell(new ChannelMessages.QueueGrant(-(n - p.revoking)), self());
            p.revoking = n;
        }
    }

    private boolean producersDone() {
        for (Producer p : producers.values()) {
            if (!p.last) {
                return false;
            }
        }
        return true;
    }

    private String closedForPuts() {
        return what + " is closed: nothing more can be put into it";
    }

    /**
     * Hands up to {@code max} items to a take of {@code process}, as a lease it acknowledges once
     * consumed. Fewer when other takes wait, so that a batch for one consumer does not starve the
     * others: each waiting take gets a fair part of what there is.
     */
    private List<Object> lease(String process, int max) {
        int fair = Math.max(1, items.size() / (takers.size() + 1));
        List<Object> out = drain(Math.min(max, fair));
        if (!process.equals(Protocol.NODE)) { // the node's own takes die only with the queue
            leases.computeIfAbsent(process, p -> new ArrayDeque<>()).addAll(out);
        }
        return out;
    }

    private void ack(ChannelMessages.QueueAck ack) {
        ArrayDeque<Object> leased = leases.get(ack.process());
        for (long i = 0; leased != null && i < ack.count() && !leased.isEmpty(); i++) {
            leased.poll();
        }
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
        producers.values().forEach(p -> p.inbox.tell(refusal, self())); // their next put fails instead of buffering for nobody
    }

    @Override
    protected void processExited(String process, ExitStatus status) {
        ArrayDeque<Object> leased = leases.remove(process);
        if (leased != null) { // taken by it but not consumed: back to the head, in their order
            for (var it = leased.descendingIterator(); it.hasNext(); ) {
                items.addFirst(it.next());
            }
        }
        producers.remove(process); // its room is free again; what was in its buffer died with it
        takers.removeProcess(process);
        putters.removeProcess(process);
        serve();
    }
}
