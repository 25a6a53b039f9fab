package io.procactor.internal.channels;

import io.procactor.ActorRef;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.Receivers;
import io.procactor.internal.wire.ChannelMessages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue's state in one process: its producer side and the lease of items the host handed to
 * this process's takes. One per queue per process.
 *
 * <p><b>Producer</b> (Python's feeder thread, with the queue's bound kept): the first put registers
 * an inbox with the host, which grants this process room for items (a share of the capacity,
 * topped up as consumers take). A put uses one unit of room and appends to a local buffer; one
 * daemon thread sends whatever is buffered as one one-way batch, at once, so puts made while it
 * sends share the next batch: no round trip per item, no timer. A put waits only for room (up to
 * its timeout). A process's items arrive in its put order. Items still in the buffer when the
 * process dies are lost, as in Python. When the queue is closed the host tells every producer;
 * the feeder sends what is buffered, then a last (empty) batch, and takes see "closed and empty"
 * only after every live producer's last batch.
 *
 * <p><b>Lease.</b> A take that finds the local lease empty asks the host for up to a prefetch of
 * items (the host gives fewer when other consumers wait, see {@code QueueHost}); the host keeps
 * them as leased to this process until this process acknowledges them as consumed, with a one-way
 * message after each take that took them (no round trip). When a process dies, the host puts its leased, unacknowledged
 * items back at the head of the queue.
 *
 * <p>Thread-safe: guarded by one lock; a take's fetch from the host runs outside it.
 */
public final class QueueLocal {
    private static final Map<String, QueueLocal> ALL = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong NAMES = new java.util.concurrent.atomic.AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Object> lease = new ArrayDeque<>();
    private final ReentrantLock fetching = new ReentrantLock();

    private QueueLocal() {
    }

    /** This process's state of the queue {@code key} (its system and host path). */
    public static QueueLocal of(String key) {
        return ALL.computeIfAbsent(key, k -> new QueueLocal());
    }

    // ---- producer: room granted by the host, a buffer and its feeder thread ----

    /** Sends what the feeder drained: {@code items} (maybe none), whether it is the last batch, and the inbox it is from. */
    public interface Feed {
        void send(List<Object> items, boolean last, int returned, ActorRef from);
    }

    /** Registers the producer inbox with the host (an ask): returns null when joined, else the refusal. */
    public interface Join {
        Object join(ActorRef inbox);
    }

    /** Per put, at most this many items in one batch: a batch is one message. */
    private static final int MAX_BATCH = 1024;

    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private int credits;
    private boolean joined;
    private boolean sending;
    private ChannelMessages.Refused closed;
    private boolean lastSent;
    /** Room to give back with the next batch, and whether the host waits for that answer. */
    private int returning;
    private boolean answerDue;
    private Feed feed;
    private ActorRef self;

    /** The producer inbox: the host's grants and its closed notice arrive here. */
    private final ProcessCore.Receiver inbox = (sender, body) -> {
        lock.lock();
        try {
            if (body instanceof ChannelMessages.QueueGrant g && g.count() >= 0) {
                credits += g.count();
            } else if (body instanceof ChannelMessages.QueueGrant g) { // the host wants unused room back
                int back = Math.min(credits, -g.count());
                credits -= back;
                returning += back;
                answerDue = true;
            } else if (body instanceof ChannelMessages.Refused r && closed == null) {
                closed = r;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    };

    /**
     * Buffers {@code item} for the feeder once this process has room granted, waiting up to
     * {@code nanos}. Returns null when put, or the refusal (closed queue) or {@code TIMEOUT} marker.
     */
    public ChannelMessages.Refused put(Object item, long nanos, ActorRef host, String name, Join join, Feed via) {
        ChannelMessages.Refused refused = join(host, name, join, via);
        if (refused != null) {
            return refused;
        }
        lock.lock();
        try {
            long left = nanos;
            while (closed == null && credits == 0) {
                if (left <= 0) {
                    return TIMED_OUT;
                }
                left = awaitNanos(left);
            }
            if (closed != null) {
                return closed;
            }
            credits--;
            buffer.add(item);
            changed.signalAll();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Marks a put that found no room in time. */
    public static final ChannelMessages.Refused TIMED_OUT = new ChannelMessages.Refused(ChannelMessages.TIMEOUT, "");

    private long awaitNanos(long nanos) {
        try {
            return changed.awaitNanos(nanos);
        } catch (InterruptedException e) { // not interruptible (see ProcessQueue); keep the interrupt
            Thread.currentThread().interrupt();
            return nanos; // the caller's deadline still holds: it loops on the remaining time
        }
    }

    private ChannelMessages.Refused join(ActorRef host, String name, Join join, Feed via) {
        lock.lock();
        try {
            if (joined) {
                return closed;
            }
        } finally {
            lock.unlock();
        }
        synchronized (this) {
            if (!joined) {
                String receiver = "$queue-" + NAMES.incrementAndGet();
                ActorRef ref = Receivers.register(host, receiver, inbox);
                Object refused = join.join(ref);
                if (refused != null) {
                    Receivers.unregister(host, receiver);
                    return (ChannelMessages.Refused) refused;
                }
                lock.lock();
                try {
                    feed = via;
                    self = ref;
                    joined = true;
                } finally {
                    lock.unlock();
                }
                Thread feeder = new Thread(this::feed, "procactor-feeder " + name);
                feeder.setDaemon(true);
                feeder.start();
            }
        }
        return null;
    }

    /** The feeder: sends what is buffered as one batch as soon as there is any, then the last batch once closed. */
    private void feed() {
        while (true) {
            List<Object> batch;
            boolean last;
            int returned;
            lock.lock();
            try {
                sending = false;
                changed.signalAll();
                while (buffer.isEmpty() && !answerDue && (closed == null || lastSent)) {
                    changed.awaitUninterruptibly();
                }
                int n = Math.min(MAX_BATCH, buffer.size());
                batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(buffer.poll());
                }
                last = closed != null && buffer.isEmpty() && !lastSent;
                lastSent |= last;
                returned = answerDue ? returning : -1;
                returning = 0;
                answerDue = false;
                sending = true;
            } finally {
                lock.unlock();
            }
            try {
                feed.send(batch, last, returned, self);
            } catch (RuntimeException e) { // this process's runtime is closing: nothing more to send to
                return;
            }
        }
    }

    /**
     * Waits up to {@code nanos} until everything this process put was sent, then gives back the
     * room granted to it and not used: returns that count (for an ask put, which must follow the
     * batches and needs the room).
     */
    public int flushAndReturnCredits(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (joined && (!buffer.isEmpty() || sending) && left > 0) {
                left = awaitNanos(left);
            }
            int n = credits;
            credits = 0;
            return n;
        } finally {
            lock.unlock();
        }
    }

    // ---- lease ----

    /** Takes up to {@code max} leased items here (the caller acknowledges them to the host); empty when there are none. */
    public List<Object> takeLocal(int max) {
        lock.lock();
        try {
            int n = Math.min(max, lease.size());
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(lease.poll());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Only one thread of this process fetches from the host at a time; others wait up to {@code nanos} for it. */
    public boolean startFetch(long nanos) throws InterruptedException {
        return fetching.tryLock(nanos, TimeUnit.NANOSECONDS);
    }

    public void endFetch() {
        fetching.unlock();
    }

    /** Items the host leased to this process, oldest first. */
    public void leased(List<Object> items) {
        lock.lock();
        try {
            lease.addAll(items);
        } finally {
            lock.unlock();
        }
    }

    /** Items leased here and not taken yet. */
    public int leasedHere() {
        lock.lock();
        try {
            return lease.size();
        } finally {
            lock.unlock();
        }
    }
}
