package io.procactor;

import io.procactor.internal.channels.QueueLocal;
import io.procactor.internal.channels.QueueRing;
import io.procactor.internal.channels.RingCodec;
import io.procactor.internal.channels.ShmRing;
import io.procactor.internal.wire.ChannelMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A named, bounded FIFO queue that every process of a system can put to and take from (Python's
 * {@code multiprocessing.Queue}); made by {@link ActorSystem#queue}. This object is a small handle:
 * pass it to another process inside a message or as a {@link Props} argument, and it works there
 * too. The items live in shared memory: a ring buffer the node creates (in {@code /dev/shm}, removed
 * with the system, swept after a crash) and each process maps on first use. A put encodes the item
 * (Kryo, the registrations messages use), takes the producers' lock word in the ring, writes and
 * publishes it; a take takes the consumers' lock word and copies the oldest item out: no round
 * trip, no message. An item too big for the ring (more than a quarter of it) is kept by the node's
 * host actor and its id goes through the ring in its place. When a producer dies after the host
 * kept such an item and before its put wrote the id (for instance while it waited for room), the
 * host drops the item once no ring record names it and no consumer fetched it for 40 s; the
 * remaining window: a consumer that copied such an id out of the ring and then stalls for longer
 * than that before asking the host (its ask gives up after 30 s anyway) loses it. Without usable
 * shared memory (and between hosts) every operation is a message to the host actor instead, which
 * hands items to a consumer process ahead of its takes and keeps them until it acknowledges them:
 * a consumer process that exits on its own acknowledges what its takes returned; one that is
 * killed may not have, and those last items are taken again elsewhere (at least once, as a broker
 * redelivers unacknowledged messages).
 *
 * <pre>{@code
 * ProcessQueue<Long> q = system.queue("subtotals", 100, Long.class);
 * q.put(42L, Duration.ofSeconds(5));           // in any process
 * long v = q.take(Duration.ofSeconds(5));      // in any process
 * }</pre>
 *
 * <p>Guarantees: every item put is taken exactly once, in each producer's put order (FIFO per
 * producing process; puts from several processes interleave), by one take (among any number of
 * producers and consumers in any processes). An item is in the queue from the moment its put
 * returns until a take returns it: a take that times out or throws has taken nothing, and a
 * consumer that dies (SIGKILL too) took exactly what its takes returned, except what a take of it
 * had copied out of the ring and not returned yet (lost with it: a window of microseconds, longer
 * only after a decoding failure, below). A process killed while holding the
 * producers' or consumers' lock word cannot block the queue: a waiter sees the holder is dead
 * (pid and start time, checked every 2 ms) and takes the lock over; what the dead holder had half
 * written or read is not visible. A put waits while the queue holds {@code capacity} items or its
 * ring's bytes are full. Waiting spins briefly, yields, then parks with growing sleeps (up to 10 ms
 * after a long wait), so a waiter costs next to no CPU. Items must be registered message types
 * (see {@link ActorSystem.Builder#register(Class[])}); {@code null} is refused.
 *
 * <p>A take copies items out under the consumers' lock and decodes them after releasing it. When
 * one cannot be decoded in the taking process (its class is not registered there, or not on its
 * class path), the take returns the items before it; the next take of that process meets it first
 * and throws {@link IllegalStateException}, having taken nothing: the item goes back to the
 * queue's tail, so another consumer can take it (its place among the other items changes), and the
 * items the first take copied after it stay with this process, whose next takes return them first,
 * in order. A process that dies (or never takes again) before that loses (or keeps) those items.
 * A put whose time runs out says which bound stopped it: the item count or the ring's bytes (its
 * size follows the capacity: about 64 bytes an item, 64 KiB to 4 MiB).
 *
 * <p>Calls that wait are not interruptible (nor is {@link PipeEnd#recv}): an
 * interrupt is kept and set again when the call returns, by its timeout at the latest.
 *
 * <p>Thread-safe: any thread of any process may call any method; calls that wait block only the
 * caller.
 *
 * @param <T> the item type
 */
public final class ProcessQueue<T> {
    private final String name;
    private final int capacity;
    /** The element type's class name, or null for any registered type. */
    private final String elementType;
    private final ActorRef host;
    private final long system;
    private transient volatile Class<?> elementClass;
    private transient volatile QueueLocal local;
    /** How many items a take asks the node for at most, to keep as this process's lease. */
    private static final int PREFETCH = 256;
    /** The queue's ring segment in shared memory, or null when it has none (then every operation goes through the host). */
    private final String ringPath;
    private final long ringToken;
    private final int ringSize;
    private transient volatile QueueRing ring;

    ProcessQueue(String name, int capacity, Class<T> elementType, ActorRef host, long system) {
        this(name, capacity, elementType, host, system, null, null, 0L, 0);
    }

    ProcessQueue(String name, int capacity, Class<T> elementType, ActorRef host, long system, QueueRing ring, String ringPath,
            long ringToken, int ringSize) {
        this.name = name;
        this.capacity = capacity;
        this.elementType = elementType == null ? null : elementType.getName();
        this.elementClass = elementType;
        this.host = host;
        this.system = system;
        this.ring = ring;
        this.ringPath = ringPath;
        this.ringToken = ringToken;
        this.ringSize = ringSize;
    }

    /**
     * This process's view of the ring; the first use of a handle that arrived from another process
     * asks the host once (a handle of another system is refused there) and maps the segment.
     */
    QueueRing ring() { // package-private: tests hold its consumer lock
        QueueRing r = ring;
        if (r == null) {
            Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.SIZE));
            try {
                r = QueueRing.of(ringPath, ringToken, ringSize, capacity, what());
            } catch (IllegalStateException e) {
                throw Channels.ringUnreachable(what(), ringPath, e);
            }
            ring = r;
        }
        return r;
    }

    /** Encodes {@code items} for the ring; an item too big for it is kept by the host and its id goes instead. */
    private void encode(QueueRing r, List<?> items, ShmRing.Encoded e) {
        for (Object item : items) {
            RingCodec.add(host, item, e, what(), "hold");
        }
        try {
            for (int i = 0; i < e.count(); i++) {
                if (e.length(i) > r.maxInline()) {
                    e.spill(i, (Long) Channels.quick(what(), host, new ChannelMessages.Spill(system, items.get(i))));
                }
            }
        } catch (RuntimeException failed) {
            unspill(e); // the host forgets those it kept for this put
            throw failed;
        }
    }

    /** Forgets the host's copies of items that were not put after all. */
    private void unspill(ShmRing.Encoded e) {
        for (int i = 0; i < e.count(); i++) {
            if (e.spillId(i) != 0) {
                Channels.quickRaw(what(), host, new ChannelMessages.Unspill(system, e.spillId(i)));
            }
        }
    }

    /** Puts {@code items} through the ring: null when put, else the refusal (or {@link QueueRing#TIMED_OUT}). */
    private ChannelMessages.Refused putInRing(List<?> items, long wait, boolean once) {
        QueueRing r = ring();
        ShmRing.Encoded e = RingCodec.putScratch();
        try {
            encode(r, items, e);
            ChannelMessages.Refused refused = r.put(e, System.nanoTime() + wait, once);
            if (refused != null) {
                unspill(e);
            }
            return refused;
        } finally {
            RingCodec.done(e);
        }
    }

    /**
     * Why a put of {@code items} items found no room: which bound stopped it (the item count or the
     * ring's bytes, with both figures) and what to do about it.
     */
    private String fullBecause(QueueRing r, int items) {
        int count = r.count();
        if (!r.withinItemBound(items)) {
            return count + " of " + capacity + " items: consumers did not take";
        }
        return "its shared-memory ring was full by bytes, not by items: " + r.usedBytes() + " of " + r.size() + " bytes in use, "
                + "by " + count + " of " + capacity + " items; consumers did not take. The ring's size follows the capacity "
                + "(about 64 bytes an item, 64 KiB to 4 MiB; there is no other setting): take faster, put smaller items, or "
                + "create the queue with a larger capacity";
    }

    private List<T> takeFromRing(int max, long wait) throws TimeoutException {
        QueueRing r = ring();
        long deadline = System.nanoTime() + wait;
        while (true) {
            if (r.hasPending()) { // records an earlier take of this process copied out go first
                synchronized (r.pending()) {
                    if (r.hasPending()) {
                        return typed(servePending(r, max));
                    }
                }
            }
            List<Object> got = takeFromRingOnce(r, max, deadline, wait);
            if (!got.isEmpty()) {
                return typed(got);
            } // else the first record failed and waits in the pending list, unless another thread served it already
        }
    }

    /** One read of the ring: the items decoded before the first that failed (those from it on wait in the pending list). */
    private List<Object> takeFromRingOnce(QueueRing r, int max, long deadline, long wait) throws TimeoutException {
        ShmRing.Encoded out = RingCodec.takeScratch();
        try {
            ChannelMessages.Refused refused = r.take(max, deadline, out);
            if (refused == QueueRing.TIMED_OUT) {
                throw new TimeoutException(what() + " stayed empty for " + Duration.ofNanos(wait).toMillis() + " ms");
            }
            if (refused != null) {
                throw Channels.refusal(refused);
            }
            // decoded outside the consumer lock: the records are this take's now, and none may be lost
            List<Object> got = new ArrayList<>(out.count());
            for (int i = 0; i < out.count(); i++) {
                try {
                    got.add(out.spillId(i) != 0 ? unspilled(out.spillId(i)) : RingCodec.decode(host, out, i));
                } catch (RuntimeException e) {
                    keep(r, out, i); // the next take of this process meets record i first
                    return got;
                }
            }
            return got;
        } finally {
            RingCodec.done(out);
        }
    }

    @SuppressWarnings("unchecked")
    private List<T> typed(List<Object> items) {
        return (List<T>) items;
    }

    /**
     * Keeps records {@code from}.. of a take in this process's pending list. Spilled ones after the
     * first are fetched from the host now: a spill that nobody fetches may be forgotten by the host
     * once its producer died (see {@code QueueHost}).
     */
    private void keep(QueueRing r, ShmRing.Encoded out, int from) {
        List<Object> kept = new ArrayList<>(out.count() - from);
        for (int j = from; j < out.count(); j++) {
            long id = out.spillId(j);
            if (id == 0) {
                kept.add(out.copyOf(j));
            } else if (j == from) {
                kept.add(id);
            } else {
                try {
                    kept.add(new QueueRing.Decoded(unspilled(id)));
                } catch (RuntimeException e) {
                    kept.add(id);
                }
            }
        }
        synchronized (r.pending()) {
            r.pending().addAll(kept);
            r.pendingChanged();
        }
    }

    /**
     * Hands out up to {@code max} of this process's pending records, oldest first. The first one
     * failing again fails this take, which then took nothing: an item this process cannot decode
     * goes back to the queue's tail for another consumer. Call holding the pending list's monitor.
     */
    private List<Object> servePending(QueueRing r, int max) {
        java.util.ArrayDeque<Object> pending = r.pending();
        List<Object> got = new ArrayList<>(Math.min(max, pending.size()));
        try {
            while (got.size() < max && !pending.isEmpty()) {
                Object record = pending.peekFirst();
                Object item;
                try {
                    item = record instanceof QueueRing.Decoded d ? d.value()
                            : record instanceof Long id ? unspilled(id) : RingCodec.decode(host, (byte[]) record);
                } catch (RuntimeException e) {
                    if (!got.isEmpty()) {
                        return got; // this take returns what it has; the next one meets the failing record first
                    }
                    pending.pollFirst();
                    throw giveBack(r, record, e);
                }
                pending.pollFirst();
                got.add(item);
            }
            return got;
        } finally {
            r.pendingChanged();
        }
    }

    /** How long a take waits for room to put back an item it cannot decode. */
    private static final long PUT_BACK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    /** Puts back a record this process failed to hand out, and says what happened. */
    private RuntimeException giveBack(QueueRing r, Object record, RuntimeException e) {
        if (!(record instanceof byte[] bytes)) {
            return e; // the host could not hand out a spilled item (its system is closing): asking again fails the same way
        }
        boolean back = r.putBack(bytes, System.nanoTime() + PUT_BACK_NANOS);
        if (!back) {
            r.pending().addFirst(record);
        }
        return new IllegalStateException(what() + " holds an item this process cannot decode (" + e.getMessage() + "); this take "
                + "took nothing, and the item " + (back ? "went back to the queue's tail for another consumer (so its place "
                + "among the other items changed)" : "stays with this process (the queue had no room to take it back): its next "
                + "take meets it first") + ". Register its class in this process (ActorSystem.Builder.register), or take it "
                + "in a process that has the class on its class path", e);
    }

    private Object unspilled(long id) {
        return ((ChannelMessages.Value) Channels.quick(what(), host, new ChannelMessages.Unspill(system, id))).value();
    }

    /** For tests: how many items too big for the ring the host keeps now. */
    int spilledCount() {
        return (Integer) Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.SPILLED));
    }

    /** The name given to {@link ActorSystem#queue}. */
    public String name() {
        return name;
    }

    /** How many items the queue holds at most. */
    public int capacity() {
        return capacity;
    }

    /**
     * Appends {@code item}, waiting up to {@code timeout} for room (Python's {@code q.put(item, timeout=...)}).
     * Returns once the item is in the queue.
     *
     * @throws TimeoutException if there was no room for {@code timeout}; the item was not put
     * @throws ChannelClosedException if the queue is closed
     * @throws IllegalArgumentException if the item is null, not of the queue's element type, or not registered
     */
    public void put(T item, Duration timeout) throws TimeoutException {
        check(item);
        long wait = Channels.waitNanos(what(), timeout);
        if (ringPath != null) {
            ChannelMessages.Refused refused = putInRing(List.of(item), wait, false);
            if (refused == QueueRing.TIMED_OUT) {
                throw new TimeoutException(what() + " stayed full for " + Duration.ofNanos(wait).toMillis() + " ms ("
                        + fullBecause(ring(), 1) + ")");
            }
            if (refused != null) {
                throw Channels.refusal(refused);
            }
            return;
        }
        try {
            io.procactor.internal.core.ProcessWatch.requireEncodable(host, item);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what() + " cannot hold [" + item.getClass().getName() + "]: " + e.getMessage(), e);
        }
        ChannelMessages.Refused refused = local().put(item, wait, host, what(),
                inbox -> {
                    Object r = Channels.quickRaw(what(), host, new ChannelMessages.QueueJoin(system, inbox));
                    return r instanceof ChannelMessages.Refused ? r : null;
                },
                (items, last, returned, from) -> host.tell(new ChannelMessages.QueueBatch(system, items, last, returned), from));
        if (refused == QueueLocal.TIMED_OUT) {
            throw new TimeoutException(what() + " stayed full for " + Duration.ofNanos(wait).toMillis()
                    + " ms (no room for this process: consumers did not take)");
        }
        if (refused != null) {
            throw Channels.refusal(refused);
        }
    }

    /**
     * Appends every item of {@code items} in order, all at once when there is room for all of them,
     * waiting up to {@code timeout}.
     *
     * @throws TimeoutException if there was no room for all of them for {@code timeout}; none was put
     * @throws IllegalArgumentException if there are more items than the capacity, or one is null or of the wrong type
     */
    public void putAll(List<? extends T> items, Duration timeout) throws TimeoutException {
        long wait = Channels.waitNanos(what(), timeout);
        List<Object> copy = copy(items);
        if (ringPath != null) {
            putAllInRing(copy, wait);
            return;
        }
        int returned = local().flushAndReturnCredits(Channels.QUICK.toNanos());
        Channels.waiting(what(), host, new ChannelMessages.QueuePut(system, copy, wait, returned), wait);
    }

    /**
     * Appends {@code item} if there is room now (Python's {@code q.put_nowait}); returns whether it
     * was put.
     *
     * @throws ChannelClosedException if the queue is closed
     */
    public boolean offer(T item) {
        List<Object> one = List.of(check(item));
        if (ringPath != null) {
            ChannelMessages.Refused refused = putInRing(one, 0, true);
            if (refused != null && refused != QueueRing.TIMED_OUT) {
                throw Channels.refusal(refused);
            }
            return refused == null;
        }
        int returned = local().flushAndReturnCredits(Channels.QUICK.toNanos());
        return Channels.quickTry(what(), host, new ChannelMessages.QueuePut(system, one, 0, returned));
    }

    /**
     * Removes and returns the oldest item, waiting up to {@code timeout} for one (Python's
     * {@code q.get(timeout=...)}).
     *
     * @throws TimeoutException if the queue stayed empty for {@code timeout}
     * @throws ChannelClosedException if the queue is closed and empty
     */
    public T take(Duration timeout) throws TimeoutException {
        return takeUpTo(1, timeout).get(0);
    }

    /**
     * Like {@link #take}, but returns null when the queue stayed empty for {@code timeout}.
     *
     * @throws ChannelClosedException if the queue is closed and empty
     */
    public T poll(Duration timeout) {
        try {
            return take(timeout);
        } catch (TimeoutException e) {
            return null;
        }
    }

    /**
     * Removes and returns the oldest 1 to {@code max} items, waiting up to {@code timeout} for the
     * first.
     *
     * @throws TimeoutException if the queue stayed empty for {@code timeout}
     * @throws ChannelClosedException if the queue is closed and empty
     */
    public List<T> takeUpTo(int max, Duration timeout) throws TimeoutException {
        if (max < 1) {
            throw new IllegalArgumentException("max for " + what() + " must be 1 or more, was [" + max + "]");
        }
        long wait = Channels.waitNanos(what(), timeout);
        if (ringPath != null) {
            return takeFromRing(max, wait);
        }
        QueueLocal local = local();
        Object got = local.take(max, wait, host, inbox -> host.tell(new ChannelMessages.QueueTake(system, Math.max(max, PREFETCH), -1), inbox));
        if (got == QueueLocal.TIMED_OUT) {
            throw new TimeoutException(what() + " stayed empty for " + Duration.ofNanos(wait).toMillis() + " ms");
        }
        if (got instanceof ChannelMessages.Refused r) {
            throw Channels.refusal(r);
        }
        @SuppressWarnings("unchecked")
        List<T> typed = (List<T>) got;
        local.consumed(typed.size(), n -> host.tell(new ChannelMessages.QueueAck(system,
                io.procactor.internal.core.Receivers.processName(host), n), null));
        return typed;
    }

    private QueueLocal local() {
        QueueLocal l = local;
        if (l == null) {
            l = QueueLocal.of(system + "/" + host.path());
            local = l;
        }
        return l;
    }

    /** The number of items in the queue now (Python's {@code q.qsize()}). */
    public int size() {
        if (ringPath != null) {
            return ring().count();
        }
        return (Integer) Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.SIZE));
    }

    /**
     * Closes the queue for every process: puts fail from now on (also those waiting for room; a put
     * that was writing when it came still goes in); takes get what is left, then fail with
     * {@link ChannelClosedException}. Closing twice is harmless.
     */
    public void close() {
        if (ringPath != null) {
            ring().close();
            return;
        }
        local().flushAndReturnCredits(Channels.QUICK.toNanos()); // this process's own puts go in first
        Channels.quick(what(), host, new ChannelMessages.Control(system, ChannelMessages.CLOSE));
    }

    private void putAllInRing(List<Object> items, long wait) throws TimeoutException {
        if (items.size() > capacity) {
            throw new IllegalArgumentException(what() + " holds at most " + capacity + " items, so a put of " + items.size()
                    + " can never fit; put fewer at a time or create the queue with a larger capacity");
        }
        QueueRing r = ring();
        ShmRing.Encoded e = RingCodec.putScratch();
        try {
            encode(r, items, e);
            if (e.recordBytes() > r.size() / 2) {
                unspill(e);
                throw new IllegalArgumentException("the " + items.size() + " items of this putAll take " + e.recordBytes()
                        + " bytes, more than half of the " + r.size() + " bytes " + what() + " keeps in shared memory; put fewer at a time");
            }
            ChannelMessages.Refused refused = r.put(e, System.nanoTime() + wait, false);
            if (refused == null) {
                return;
            }
            unspill(e);
            if (refused == QueueRing.TIMED_OUT) {
                throw new TimeoutException(what() + " stayed full for " + Duration.ofNanos(wait).toMillis() + " ms ("
                        + fullBecause(r, items.size()) + ")");
            }
            throw Channels.refusal(refused);
        } finally {
            RingCodec.done(e);
        }
    }

    private List<Object> copy(List<? extends T> items) {
        Objects.requireNonNull(items, "items");
        List<Object> out = new ArrayList<>(items.size());
        for (T item : items) {
            out.add(check(item));
        }
        return out;
    }

    private T check(T item) {
        if (item == null) {
            throw new IllegalArgumentException(what() + " cannot hold null; put a value");
        }
        Class<?> type = elementClass();
        if (type != null && !type.isInstance(item)) {
            throw new IllegalArgumentException(what() + " holds " + type.getName() + " items, not [" + item.getClass().getName()
                    + "] (" + item + "); put " + (type.getSimpleName().matches("[AEIOU].*") ? "an " : "a ") + type.getSimpleName());
        }
        return item;
    }

    private Class<?> elementClass() {
        Class<?> c = elementClass;
        if (c == null && elementType != null) {
            try {
                c = Class.forName(elementType, false, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(what() + " holds [" + elementType + "] items, a class this process cannot load; "
                        + "put it on this process's class path", e);
            }
            elementClass = c;
        }
        return c;
    }

    private String what() {
        return "queue [" + name + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessQueue<?> q && q.host.equals(host) && q.system == system;
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessQueue[" + name + ", capacity " + capacity + (elementType == null ? "" : ", " + elementType) + "]";
    }
}
