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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * process is killed are lost, as in Python; a process that exits otherwise (its actors stopped,
 * {@code System.exit}, SIGTERM) first waits for its feeders, up to 5 s each. When the queue is closed the host tells every producer;
 * the feeder sends what is buffered, then a last (empty) batch, and takes see "closed and empty"
 * only after every live producer's last batch.
 *
 * <p><b>Lease.</b> A take in this process registers a consumer inbox here and keeps one request
 * for items out at the host (a one-way {@code QueueTake}); the host pushes a batch to the inbox as
 * soon as it has items (a fair part when other processes' requests wait, see {@code QueueHost}),
 * and a take that leaves fewer than 64 items here sends the next request ahead
 * of need, so takes rarely wait for a round trip. A take waits locally, with its timeout; a batch
 * that arrives after a take gave up stays here for the next take. The host keeps
 * them as leased to this process until this process acknowledges them as consumed, with one-way
 * messages from an acknowledgement thread that sends at once whatever was consumed since its last
 * message (no round trip, no timer). When a process dies, the host puts its leased, unacknowledged
 * items back at the head of the queue; a process that exits on its own acknowledges what its takes
 * returned first, so only a killed one's last few items may be taken again elsewhere.
 *
 * <p>Thread-safe: guarded by one lock; a take's fetch from the host runs outside it.
 */
public final class QueueLocal {
    private static final Logger log = LoggerFactory.getLogger(QueueLocal.class);
    private static final Map<String, QueueLocal> ALL = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong NAMES = new java.util.concurrent.atomic.AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();

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

    /** How long an exiting process waits for its feeder, at most. */
    private static final int EXIT_FLUSH_SECONDS = 5;
    private static final java.time.Duration EXIT_FLUSH = java.time.Duration.ofSeconds(EXIT_FLUSH_SECONDS);

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
    private String feederName;
    private boolean feederRunning;
    /** A feeder or acknowledgement thread idle this long ends (a new one starts on demand): a process that made many queues keeps no parked threads. */
    private static final long IDLE_NANOS = java.time.Duration.ofSeconds(10).toNanos();

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
            startFeeder();
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
        long deadline = System.nanoTime() + nanos;
        boolean[] interrupted = {false};
        lock.lock();
        try {
            while (closed == null && credits == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return TIMED_OUT;
                }
                awaitNanos(left, interrupted);
            }
            if (closed != null) {
                return closed;
            }
            credits--;
            buffer.add(item);
            startFeeder();
            changed.signalAll();
            return null;
        } finally {
            lock.unlock();
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Marks a put that found no room in time. */
    public static final ChannelMessages.Refused TIMED_OUT = new ChannelMessages.Refused(ChannelMessages.TIMEOUT, "");

    /** Waits on {@code changed}; an interrupt is noted in {@code interrupted[0]} (set again by the caller) instead of thrown. */
    private void awaitNanos(long nanos, boolean[] interrupted) {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) { // not interruptible (see ProcessQueue)
            interrupted[0] = true;
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
                Receivers.onExit(host, () -> flushAndReturnCredits(EXIT_FLUSH.toNanos()));
                lock.lock();
                try {
                    feed = via;
                    self = ref;
                    feederName = "procactor-feeder " + name;
                    joined = true;
                    startFeeder();
                } finally {
                    lock.unlock();
                }
            }
        }
        return null;
    }

    /** Starts the feeder unless it runs (or this process has not joined). Call holding the lock. */
    private void startFeeder() {
        if (joined && !feederRunning) {
            feederRunning = true;
            Thread t = new Thread(this::feed, feederName);
            t.setDaemon(true);
            t.start();
        }
    }

    private boolean feederIdle() {
        return buffer.isEmpty() && !answerDue && (closed == null || lastSent);
    }

    /** Waits up to {@code nanos} for {@code c}, not interruptibly; returns the time left. */
    private static long await(Condition c, long nanos) {
        try {
            return c.awaitNanos(nanos);
        } catch (InterruptedException e) {
            return nanos; // our own daemon threads: nobody interrupts them on purpose
        }
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
                while (feederIdle()) {
                    if (await(changed, IDLE_NANOS) <= 0 && feederIdle()) {
                        feederRunning = false;
                        return;
                    }
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
            Thread.yield(); // lets a thread in a put loop add to the next batch before this one parks; no timer
        }
    }

    /**
     * Waits up to {@code nanos} until everything this process put was sent, then gives back the
     * room granted to it and not used: returns that count (for an ask put, which must follow the
     * batches and needs the room).
     */
    public int flushAndReturnCredits(long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean[] interrupted = {false};
        lock.lock();
        try {
            while (joined && (!buffer.isEmpty() || sending) && deadline - System.nanoTime() > 0) {
                awaitNanos(deadline - System.nanoTime(), interrupted);
            }
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
            int n = credits;
            credits = 0;
            return n;
        } finally {
            lock.unlock();
        }
    }

    // ---- consumer: acknowledgements, sent by one thread so that takes made meanwhile share one message ----

    private long acksDue;
    private boolean ackerRunning;
    private java.util.function.LongConsumer ackSender;
    private final Condition acksWaiting = lock.newCondition();

    /**
     * Counts {@code n} leased items as consumed; the acknowledgement thread tells the host at once,
     * in one message with whatever else was consumed while it sent the previous one.
     */
    public void consumed(int n, java.util.function.LongConsumer send) {
        if (n == 0) {
            return;
        }
        lock.lock();
        try {
            acksDue += n;
            if (!ackerRunning) {
                ackSender = send;
                ackerRunning = true;
                Thread t = new Thread(this::ack, "procactor-acks");
                t.setDaemon(true);
                t.start();
            }
            acksWaiting.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * At exit: tells the host of what was consumed and not yet acknowledged, on this thread (the
     * acknowledgement thread, a daemon, may not run again). What the acknowledgement thread already
     * took it sends itself; its message is queued before the process's connection closes.
     */
    private void flushAcks() {
        long n;
        java.util.function.LongConsumer send;
        lock.lock();
        try {
            n = acksDue;
            acksDue = 0;
            send = ackSender;
        } finally {
            lock.unlock();
        }
        if (n > 0 && send != null) {
            try {
                send.accept(n);
            } catch (RuntimeException e) { // the runtime closes under us: the host puts the items back, as for a crash
                log.debug("Queue acknowledgements of {} item(s) not sent at exit: {}", n, e.toString());
            }
        }
    }

    private void ack() {
        while (true) {
            long n;
            lock.lock();
            try {
                while (acksDue == 0) {
                    if (await(acksWaiting, IDLE_NANOS) <= 0 && acksDue == 0) {
                        ackerRunning = false;
                        return;
                    }
                }
                n = acksDue;
                acksDue = 0;
            } finally {
                lock.unlock();
            }
            try {
                ackSender.accept(n);
            } catch (RuntimeException e) { // this process's runtime is closing
                return;
            }
            Thread.yield(); // as the feeder: lets takes made meanwhile share the next message
        }
    }

    // ---- lease: items the host pushed to this process's consumer inbox ----

    private final ArrayDeque<Object> lease = new ArrayDeque<>();
    private final Condition leaseChanged = lock.newCondition();
    private ActorRef consumerInbox;
    private boolean wanting;
    private ChannelMessages.Refused ended;
    /** Below this many leased items, a take asks for the next batch ahead of need. */
    private static final int LOW_WATER = 64;

    private final ProcessCore.Receiver consumerReceiver = (sender, body) -> {
        lock.lock();
        try {
            if (body instanceof ChannelMessages.Items i) {
                lease.addAll(i.items());
            } else if (body instanceof ChannelMessages.Refused r && ended == null) {
                ended = r;
            }
            wanting = false;
            leaseChanged.signalAll();
        } finally {
            lock.unlock();
        }
    };

    /**
     * Takes up to {@code max} items, waiting up to {@code nanos} for the first. Returns the items,
     * or {@link #TIMED_OUT}, or the host's refusal (the queue is closed and empty). {@code want}
     * tells the host this process's inbox wants items (at most one such request is out at a
     * time); the caller acknowledges what it got with {@link #consumed}.
     */
    public Object take(int max, long nanos, ActorRef host, java.util.function.Consumer<ActorRef> want) {
        boolean interrupted = false;
        lock.lock();
        try {
            if (consumerInbox == null) {
                consumerInbox = Receivers.register(host, "$queue-" + NAMES.incrementAndGet(), consumerReceiver);
                // items taken here and not yet acknowledged would go back to the queue when this process
                // exits, and be taken again elsewhere: a process that exits on its own acknowledges first
                Receivers.onExit(host, this::flushAcks);
            }
            long deadline = System.nanoTime() + nanos;
            long left = nanos;
            while (true) {
                if (!lease.isEmpty()) {
                    int n = Math.min(max, lease.size());
                    List<Object> out = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        out.add(lease.poll());
                    }
                    if (lease.size() < LOW_WATER && !wanting && ended == null) { // the next batch, ahead of need
                        wanting = true;
                        want.accept(consumerInbox);
                    }
                    return out;
                }
                if (ended != null) {
                    return ended;
                }
                if (!wanting) {
                    wanting = true;
                    want.accept(consumerInbox);
                    continue; // in this process the answer may have come already, on this thread
                }
                if (left <= 0) {
                    return TIMED_OUT;
                }
                try {
                    left = leaseChanged.awaitNanos(left);
                } catch (InterruptedException e) {
                    // not interruptible (see ProcessQueue): the interrupt is kept for the caller, and the wait
                    // goes on to the same deadline (an interrupt must not restart the clock)
                    interrupted = true;
                    left = deadline - System.nanoTime();
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
